"""The shapes of the open data API's answers and of its list filters (the OpenAPI document is
generated from these)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from ..choices import Colour, FeedbackKind, Status
from ..filters import SORTS

MONEY = (
    "A sum in 万元 (units of 10,000 yuan, CNY) as a decimal string with two places, "
    'e.g. "1250.00" = 12,500,000 yuan.'
)
MONEY_PATTERN = r"^-?\d+\.\d{2}$"
SLUG = r"^[-a-zA-Z0-9_]+$"
TEXT = r"^[^\x00]*$"  # the site refuses NUL in a URL (portal.middleware)


def money_field(description, *, optional=False):
    return Field(
        None if optional else ...,
        description=f"{description} {MONEY}",
        json_schema_extra={"pattern": MONEY_PATTERN, "x-unit": "万元 (10,000 CNY)"},
    )


class Named(Schema):
    slug: str = Field(description="Stable identifier, used by the list filters.")
    name: str = Field(description="Name in Chinese.")
    name_en: str = Field(description="Name in English (may be empty).")


class Photo(Schema):
    caption: str
    url: str = Field(description="JPEG, 1200×900 crop.")
    thumbnail_url: str = Field(description="JPEG, 400×300 crop.")


class CoverPhoto(Schema):
    alt: str = Field(description="The photo's title, usable as its text alternative.")
    card_url: str = Field(description="JPEG, 720×540 crop.")
    large_url: str = Field(description="JPEG, 1280×720 crop.")


class Item(Schema):
    """One livelihood item (民生实事) as the public site shows it."""

    id: int = Field(description="Stable id of the item (its page id). Also unique: year+number.")
    year: int = Field(description="The year of the list the item belongs to.")
    number: int = Field(description="The item's number in its year's list; /<year>/<number>/.")
    title: str
    title_en: str = Field(description="English title (may be empty).")
    summary: str
    category: Named
    department: Named = Field(description="The responsible department (责任单位).")
    district: Named = Field(description="District or street (片区/街道).")
    address: str
    latitude: float | None = Field(description="WGS-84 latitude, if the item has a place.")
    longitude: float | None = Field(description="WGS-84 longitude, if the item has a place.")
    budget: str = money_field("Planned budget (计划投资).")
    revised_budget: str | None = money_field(
        "Revised budget, only when formally changed.", optional=True
    )
    invested: str = money_field("Invested so far (累计完成投资).")
    planned_start: date = Field(description="Planned start (baseline), ISO date.")
    planned_completion: date = Field(description="Promised completion (baseline), ISO date.")
    revised_completion: date | None = Field(description="Approved new completion date, if any.")
    delay_reason: str = Field(description="The item's stated reason for delay (may be empty).")
    suspended: bool = Field(description="Work is halted.")
    progress: int = Field(ge=0, le=100, description="Progress in %, from published updates.")
    expected_progress: int = Field(
        ge=0, le=100, description="Where the schedule says the item should be, in % (序时进度)."
    )
    lag: int = Field(description="Expected progress minus progress, in percentage points.")
    status: Status
    status_label: str = Field(description="The status in the visitor's language.")
    colour: Colour = Field(description="Supervision colour, blue (done) to red (seriously late).")
    colour_label: str
    last_update_date: date | None = Field(description="Date of the latest published update.")
    cover_photo: CoverPhoto | None
    tags: list[str]
    url: str = Field(description="The item's public page.")


class ItemPage(Schema):
    count: int = Field(description="Items matching the filters, all pages together.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page of results, if any.")
    previous: str | None = Field(description="The previous page of results, if any.")
    items: list[Item]


class ItemFilters(Schema):
    """The year list's filters and sorts (`projects.filters`), as query parameters."""

    year: int | None = Field(None, ge=2000, le=2100, description="Only this year's items.")
    number: int | None = Field(None, ge=1, le=999, description="The item with this number.")
    category: str | None = Field(
        None, max_length=60, pattern=SLUG, description="A category's slug (none known: no items)."
    )
    district: str | None = Field(
        None, max_length=60, pattern=SLUG, description="A district's slug (none known: no items)."
    )
    department: str | None = Field(
        None, max_length=60, pattern=SLUG, description="A department's slug (none known: no items)."
    )
    status: Status | None = None
    colour: Colour | None = None
    tag: str | None = Field(None, max_length=100, pattern=TEXT)
    q: str | None = Field(
        None,
        max_length=100,
        pattern=TEXT,
        description="Keywords, searched as the site's search does.",
    )
    sort: Literal[tuple(SORTS)] | None = Field(  # ty: ignore[invalid-type-form]
        None,
        description=(
            "number (default), progress (highest first), behind (furthest behind first), "
            "updated (latest update first), completion (promised date). With `q` and no sort: "
            "best match first."
        ),
    )
    limit: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")
    offset: int = Field(0, ge=0, le=100_000)


class Update(Schema):
    id: int
    date: date
    progress: int = Field(ge=0, le=100, description="Progress of the whole item on this date, %.")
    invested: str | None = money_field("Invested up to this date, if reported.", optional=True)
    text: str = Field(description="What happened, as plain text.")
    text_html: str = Field(description="What happened, as the page shows it (HTML).")
    lag_reason: str = Field(description="Why the item is behind schedule, if it is.")
    photos: list[Photo]
    url: str


class Reply(Schema):
    text: str
    department: Named | None = Field(description="The department that answered, if named.")
    replied_at: datetime | None


class Message(Schema):
    """A resident's published message and the official reply to it."""

    id: int
    kind: FeedbackKind
    kind_label: str
    rating: int | None = Field(description="Satisfaction 1–5, for a rating.")
    message: str
    name: str | None = Field(description="Only when the resident chose to show their name.")
    submitted_at: datetime
    published_at: datetime | None
    reply: Reply | None
    photos: list[Photo]


class Breakdown(Named):
    count: int
    completed: int
    average_progress: int


class Year(Schema):
    """A year's list with the figures of the overview."""

    year: int
    title: str
    url: str = Field(description="The year's public list.")
    data_date: date = Field(description="The date the figures are as of.")
    data_date_basis: Literal["set", "latest_update", "today"]
    count: int = Field(description="Items promised.")
    completed: int
    average_progress: int = Field(description="Average progress of the items, %.")
    budget: str = money_field("Planned budget of all items.")
    invested: str = money_field("Invested so far, all items.")
    by_status: dict[str, int] = Field(description="Items per status.")
    by_colour: dict[str, int] = Field(description="Items per supervision colour.")
    by_category: list[Breakdown]
    by_district: list[Breakdown]
    items_url: str
    csv_url: str = Field(description="The year's items as CSV (UTF-8 with BOM).")
    xlsx_url: str = Field(description="The year's items as an Excel workbook.")
