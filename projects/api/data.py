"""What the open data holds: the public site's years, items, updates and feedback as plain
values, for the API (`views`) and the downloads (`downloads`) alike.

Only what a visitor can see: live, public pages under the request's site, items of live years
(unpublishing a year or an item leaves its children live in Wagtail), read from the page rows,
which hold the published content (a draft revision never reaches them). Feedback: published
messages as the item page shows them; a resident's name only when they chose to show it; the
contact, tracking code and moderation fields are never read.

Money is a decimal string in 万元 (10,000 yuan), exactly as stored; dates are ISO dates.
Queries stay constant however many items a page of the list holds: relations are joined,
tags and renditions prefetched (`projects.renditions`).
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from ..choices import Colour, Status
from ..feeds.feeds import plain_text
from ..models import Feedback, ProgressUpdatePage, ProjectIndexPage, ProjectPage, ProjectTag
from ..overview import year_overview
from ..renditions import prefetch_renditions

# Renditions the open data links to; all are ones the public pages use too (CARD, COVER and
# GALLERY in `projects.renditions`), as JPEG, which every program opens.
CARD_SPEC = "fill-720x540|format-jpeg"
LARGE_SPEC = "fill-1280x720|format-jpeg"
PHOTO_SPEC = "fill-1200x900|format-jpeg"
THUMB_SPEC = "fill-400x300|format-jpeg"

RELATIONS = ("category", "department", "district", "cover_image")


def money(value):
    """A sum in 万元 as the decimal string stored (two places), or None."""
    return None if value is None else f"{value:.2f}"


def site_root(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site here.")
    return site.root_page


def public_years(request):
    """The site's published year lists, newest first."""
    return (
        ProjectIndexPage.objects.descendant_of(site_root(request)).live().public().order_by("-year")
    )


def public_year(request, year):
    year_page = public_years(request).filter(year=year).first()
    if year_page is None:
        raise Http404(f"No published year {year}.")
    return year_page


def public_items(request):
    """Every published item of a published year of the site, with `list_year` annotated and
    what an item's data shows joined or prefetched."""
    year_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Page.steplen)
    live_years = ProjectIndexPage.objects.live().public().filter(path=year_path)
    return (
        ProjectPage.objects.descendant_of(site_root(request))
        .live()
        .public()
        .filter(Exists(live_years))
        .with_year()
        .select_related(*RELATIONS)
        .prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=ProjectTag.objects.select_related("tag").order_by("tag__name"),
            )
        )
    )


def public_item(request, item_id):
    item = public_items(request).filter(pk=item_id).first()
    if item is None:
        raise Http404(f"No published item with id {item_id}.")
    return item


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def _snippet(snippet):
    return {"slug": snippet.slug, "name": snippet.name, "name_en": snippet.name_en}


def _rendition_url(request, image, spec):
    return _absolute(request, image.get_rendition(spec).url)


def items_data(request, items):
    """The data of each of `items` (from `public_items`), renditions fetched in one query."""
    items = list(items)
    prefetch_renditions((item.cover_image for item in items), (CARD_SPEC, LARGE_SPEC))
    return [item_data(request, item) for item in items]


def item_data(request, item):
    cover = item.cover_image
    return {
        "id": item.pk,
        "year": item.list_year,
        "number": item.number,
        "title": item.title,
        "title_en": item.title_en,
        "summary": item.summary,
        "category": _snippet(item.category),
        "department": _snippet(item.department),
        "district": _snippet(item.district),
        "address": item.address,
        "latitude": None if item.latitude is None else float(item.latitude),
        "longitude": None if item.longitude is None else float(item.longitude),
        "budget": money(item.budget),
        "revised_budget": money(item.revised_budget),
        "invested": money(item.invested),
        "planned_start": item.planned_start,
        "planned_completion": item.planned_completion,
        "revised_completion": item.revised_completion,
        "delay_reason": item.delay_reason,
        "suspended": item.suspended,
        "progress": item.progress,
        "expected_progress": item.expected_progress,
        "lag": item.lag,
        "status": item.status,
        "status_label": str(Status(item.status).label),
        "colour": item.colour,
        "colour_label": str(Colour(item.colour).label),
        "last_update_date": item.last_update_date,
        "cover_photo": cover
        and {
            "alt": cover.title,
            "card_url": _rendition_url(request, cover, CARD_SPEC),
            "large_url": _rendition_url(request, cover, LARGE_SPEC),
        },
        "tags": [tagged.tag.name for tagged in item.tagged_items.all()],
        "url": _absolute(request, item.get_url(request)),
    }


def updates_data(request, item):
    """The item's published progress updates, newest first, with their photos."""
    updates = (
        ProgressUpdatePage.objects.child_of(item)
        .live()
        .public()
        .order_by("-date", "-pk")
        .with_photos(specs=(PHOTO_SPEC, THUMB_SPEC))
    )
    return [
        {
            "id": update.pk,
            "date": update.date,
            "progress": update.progress,
            "invested": money(update.invested),
            "text": plain_text(update.text),  # as the feeds give it
            "text_html": expand_db_html(update.text),
            "lag_reason": update.lag_reason,
            "photos": [
                {
                    "caption": photo.caption,
                    "url": _rendition_url(request, photo.image, PHOTO_SPEC),
                    "thumbnail_url": _rendition_url(request, photo.image, THUMB_SPEC),
                }
                for photo in update.photos.all()
            ],
            "url": _absolute(request, update.get_url(request)),
        }
        for update in updates
    ]


# The only columns of a message the open data reads.
FEEDBACK_FIELDS = (
    "id",
    "kind",
    "rating",
    "message",
    "name",
    "show_name",
    "created_at",
    "published_at",
    "reply",
    "replied_at",
    "reply_department",
    "reply_department__name",
    "reply_department__name_en",
    "reply_department__slug",
)


def feedback_data(request, item):
    """The item's published messages as its page shows them, newest first."""
    messages = Feedback.objects.for_item_page(item).only(*FEEDBACK_FIELDS)
    result = []
    for message in messages:
        photos = [photo.public_image for photo in message.public_photos]
        result.append(
            {
                "id": message.pk,
                "kind": message.kind,
                "kind_label": str(message.get_kind_display()),
                "rating": message.rating,
                "message": message.message,
                "name": message.public_name or None,
                "submitted_at": message.created_at,
                "published_at": message.published_at,
                "reply": (
                    {
                        "text": message.reply,
                        "department": message.reply_department
                        and _snippet(message.reply_department),
                        "replied_at": message.replied_at,
                    }
                    if message.reply
                    else None
                ),
                "photos": [
                    {
                        "caption": "",
                        "url": _rendition_url(request, image, PHOTO_SPEC),
                        "thumbnail_url": _rendition_url(request, image, THUMB_SPEC),
                    }
                    for image in photos
                ],
            }
        )
    return result


def year_data(request, year_page):
    """A year with the overview's figures (`projects.overview.year_overview`)."""
    o = year_overview(year_page, latest=0, behind=0)

    def rows(breakdown):
        return [
            {
                **_snippet(row.snippet),
                "count": row.count,
                "completed": row.completed,
                "average_progress": row.average,
            }
            for row in breakdown
        ]

    url = year_page.get_url(request)
    return {
        "year": year_page.year,
        "title": year_page.title,
        "url": _absolute(request, url),
        "data_date": o["data_date"].date,
        "data_date_basis": o["data_date"].basis,
        "count": o["count"],
        "completed": o["completed"],
        "average_progress": o["average_progress"],
        "budget": money(o["budget"]),
        "invested": money(o["invested"]),
        "by_status": {status.value: count for status, count in o["statuses"]},
        "by_colour": {colour.value: count for colour, count in o["colours"]},
        "by_category": rows(o["by_category"]),
        "by_district": rows(o["by_district"]),
        "items_url": _absolute(request, f"{reverse('api:items')}?year={year_page.year}"),
        "csv_url": _absolute(request, reverse("year_csv", kwargs={"year": year_page.year})),
        "xlsx_url": _absolute(request, reverse("year_xlsx", kwargs={"year": year_page.year})),
    }
