"""Spreadsheet imports: a year's list of items, and the monthly progress of many items.

Both read XLSX (openpyxl) or CSV (UTF-8 or GB18030, as Excel in Chinese saves it), accept the
Chinese column headers of the downloadable template or the English field names, and validate
every row through a Django form that runs the model's own `clean()` (the rules of the admin
form). `validate_*` returns an `ImportReport` with every problem by row and column and saves
nothing; `ImportReport.save()` writes all rows in one transaction, and only when the whole file
is clean. Items are upserted by (year, number). Saved pages are drafts submitted to the
approval workflow, so nothing becomes public until a reviewer approves it.

Used by the admin views (`projects.editorial.views`) and the `import_items` /
`import_progress` management commands.
"""

import calendar
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models, transaction
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from wagtail.models import Page

from ..models import (
    Category,
    Department,
    District,
    ProgressUpdatePage,
    ProjectIndexPage,
    ProjectPage,
)
from ..models.departments import department_ids, is_department_scoped, may_edit_department
from . import sheets
from .notifications import collect_submissions, send_import_message

# (field name, Chinese header of the template); English field names are accepted as headers too.
ITEM_COLUMNS = [
    ("number", "项目编号"),
    ("title", "项目名称"),
    ("category", "类别"),
    ("department", "责任单位"),
    ("district", "片区/街道"),
    ("address", "地址"),
    ("longitude", "经度"),
    ("latitude", "纬度"),
    ("budget", "计划投资（万元）"),
    ("planned_start", "计划开工日期"),
    ("planned_completion", "计划完成日期"),
    ("summary", "项目简介"),
]
ITEM_REQUIRED = {"number", "title", "category", "department", "district", "budget"}
ITEM_REQUIRED |= {"planned_start", "planned_completion", "summary"}

PROGRESS_COLUMNS = [
    ("number", "项目编号"),
    ("date", "填报日期"),
    ("progress", "形象进度（%）"),
    ("invested", "累计完成投资（万元）"),
    ("text", "进展情况"),
    ("delay_reason", "滞后原因"),
    ("revised_completion", "调整后完成日期"),
]
PROGRESS_REQUIRED = {"number", "date", "progress", "text"}

MAX_ROWS = 2000

# The templates' example rows: the number cell says 示例 ("example") and the reader skips the
# row, so a template uploaded unchanged changes nothing. Templates downloaded before the mark
# had a plain example numbered 1; rows matching them are skipped too.
EXAMPLE_MARK = "示例"
ITEM_EXAMPLE = [
    EXAMPLE_MARK,
    "高新区第一小学扩建",
    "教育",
    "区教育局",
    "大旺街道",
    "大旺大道1号",
    112.873211,
    23.293456,
    1200,
    date(2023, 2, 1),
    date(2023, 11, 30),
    "新增学位900个。",
]
PROGRESS_EXAMPLE = [EXAMPLE_MARK, date(2023, 6, 28), 45, 500, "主体封顶，室内装修开始。", "", ""]
UNMARKED_EXAMPLES = [
    {"number": "1", "title": "高新区第一小学扩建", "summary": "新增学位900个。"},
    {"number": "1", "date": "2023-06-28", "text": "主体封顶，室内装修开始。"},
]
DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
MONTH_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
# An Excel date stored as its serial number (a date cell without date format, or a CSV).
EXCEL_SERIAL = re.compile(r"^[2-7]\d{4}(\.0+)?$")
EXCEL_EPOCH = date(1899, 12, 30)


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, headers, size)."""


def _normalise_header(text):
    return sheets.normalise_header(text)


def _cell_text(value):
    return sheets.cell_text(value)


def is_example_row(values):
    """A template's example row: marked 示例 (or "example") in the number column, or unmarked
    as in templates downloaded before the mark."""
    number = values.get("number", "").strip()
    if number.startswith(EXAMPLE_MARK) or number.lower().startswith("example"):
        return True
    return any(
        all(values.get(name, "").strip() == text for name, text in example.items())
        for example in UNMARKED_EXAMPLES
    )


@dataclass
class SourceColumn:
    """One column of the uploaded sheet: its letter, header as written, and field ("" = none)."""

    index: int
    letter: str
    label: str
    field: str
    sample: str = ""


@dataclass
class Plan:
    """How an uploaded file is read: which sheet, where its header is, which column fills
    which field (detected, remembered or chosen by the editor), and the rows found."""

    kind: str
    sheet_names: list
    sheet: int
    candidates: list  # indexes of the sheets that look like the table
    layout: sheets.Layout
    columns: list
    table: sheets.Table
    remembered: bool = False
    problems: list = field(default_factory=list)
    examples: list = field(default_factory=list)

    @property
    def key(self):
        return self.layout.key(self.kind)

    @property
    def mapping(self):
        return [column.field for column in self.columns]

    def labels(self):
        """{field: the header of its column as written}."""
        return {column.field: column.label for column in self.columns if column.field}

    def units(self):
        return {
            column.field: sheets.header_unit(column.label)
            for column in self.columns
            if column.field in sheets.MONEY_FIELDS
        }

    @property
    def ask_sheet(self):
        return len(self.candidates) > 1


def plan_import(sheet_list, kind, *, sheet=None, mapping=None, remembered=None):
    """Find the table in `sheet_list` and map its columns.

    `sheet` (an index) and `mapping` (a field name or "" per column) are the editor's choices
    in the preview; `remembered(key)` returns the mapping confirmed for the same header last
    time, used when the editor has not chosen one.
    """
    columns_def = ITEM_COLUMNS if kind == "items" else PROGRESS_COLUMNS
    required = ITEM_REQUIRED if kind == "items" else PROGRESS_REQUIRED
    fields = {name for name, _chinese in columns_def}
    layouts = sheets.find_layouts(sheet_list, kind)
    candidates = sorted(layout.sheet for layout in sheets.plausible(layouts)) or [layouts[0].sheet]
    if sheet is not None and 0 <= sheet < len(sheet_list):
        layout = sheets.find_layout(sheet_list[sheet].rows, kind, sheet)
        if sheet not in candidates:
            candidates.append(sheet)
    else:
        layout = layouts[0]
    width = len(layout.headers)
    used_memory = False
    if mapping is not None and len(mapping) == width:
        layout.mapping = [name if name in fields else "" for name in mapping]
    elif remembered is not None:
        saved = remembered(layout.key(kind))
        if saved and len(saved) == width:
            layout.mapping = [name if name in fields else "" for name in saved]
            used_memory = True
    rows = sheet_list[layout.sheet].rows
    table = sheets.data_rows(rows, layout)
    columns = []
    for index, label in enumerate(layout.labels()):
        sample = next(
            (
                values_row[index]
                for values_row in rows[layout.data_start :][:50]
                if index < len(values_row) and values_row[index]
            ),
            "",
        )
        columns.append(
            SourceColumn(index, sheets.column_letter(index), label, layout.mapping[index], sample)
        )
    plan = Plan(
        kind,
        [item.name for item in sheet_list],
        layout.sheet,
        sorted(candidates),
        layout,
        columns,
        table,
        remembered=used_memory,
    )
    chinese = dict(columns_def)
    by_field = {}
    for column in columns:
        if column.field:
            by_field.setdefault(column.field, []).append(column.letter)
    for name, letters in by_field.items():
        if len(letters) > 1:
            plan.problems.append(
                gettext("Columns %(letters)s are all mapped to “%(field)s”: keep one.")
                % {"letters": "、".join(letters), "field": chinese[name]}
            )
    missing = [
        chinese[name] for name, _c in columns_def if name in required and name not in by_field
    ]
    if missing:
        plan.problems.append(
            gettext("No column is mapped to: %(columns)s. Choose them in the table of columns.")
            % {"columns": "、".join(missing)}
        )
    kept = []
    for line, values in table.rows:
        if is_example_row(values):
            plan.examples.append(line)
        else:
            kept.append((line, values))
    table.rows = kept
    if len(kept) > MAX_ROWS:
        plan.problems.append(gettext("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    return plan


def read_plan(uploaded, kind, **kwargs):
    try:
        sheet_list = sheets.read_sheets(uploaded)
    except sheets.FileError as error:
        raise ImportFileError(str(error)) from error
    if not any(any(row) for item in sheet_list for row in item.rows):
        raise ImportFileError(gettext("The file is empty."))
    return sheet_list, plan_import(sheet_list, kind, **kwargs)


def read_rows(uploaded, columns, required):
    """Read an uploaded XLSX or CSV file into (line number, {field: text}) pairs.

    Finds the table (title rows, two-row headers, notes below), maps the columns by their
    usual wordings, and returns the rows and the line numbers of the template's example rows,
    which are left out. Line numbers are those a spreadsheet shows.
    """
    kind = "items" if columns is ITEM_COLUMNS or dict(columns).get("title") else "progress"
    _sheets, plan = read_plan(uploaded, kind)
    if plan.problems:
        raise ImportFileError(" ".join(plan.problems))
    return plan.table.rows, plan.examples


def template_workbook(columns, example):
    """An XLSX template for download: the Chinese headers and an example row marked 示例,
    in grey italics, which the importer skips."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([chinese for _name, chinese in columns])
    sheet.append(example)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    for index, (_name, chinese) in enumerate(columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(12, len(chinese) * 2 + 4)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def display_value(value):
    """A stored value as the spreadsheet would write it: 1200 not 1200.00, names not ids."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.name
    return str(value)


# -- fields -----------------------------------------------------------------------------------


class SpreadsheetDateField(forms.DateField):
    """Dates as spreadsheets write them: an Excel date, 2023-03-01, 2023/3/1, 2023.3.1,
    2023年3月1日, full-width digits, or a month alone (2023-3, 2023年3月), read as the month's
    first day, or its last for an end date (`month_end`). Impossible dates (2023-2-30) are
    rejected with the reason."""

    def __init__(self, *args, month_end=False, **kwargs):
        self.month_end = month_end
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip()
            match = DATE_PATTERN.match(text)
            if match:
                return self._date(value, *map(int, match.groups()))
            match = MONTH_PATTERN.match(text)
            if match:
                year, month = map(int, match.groups())
                self._date(value, year, month, 1)
                day = calendar.monthrange(year, month)[1] if self.month_end else 1
                return date(year, month, day)
            if EXCEL_SERIAL.match(text):
                return EXCEL_EPOCH + timedelta(days=int(float(text)))
            value = text
        return super().to_python(value)

    @staticmethod
    def _date(text, year, month, day):
        if not 1 <= month <= 12:
            raise forms.ValidationError(
                _("“%(text)s” is not a date: there is no month %(month)s."),
                code="invalid",
                params={"text": text, "month": month},
            )
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise forms.ValidationError(
                _("“%(text)s” is not a date: %(year)s-%(month)s has only %(days)s days."),
                code="invalid",
                params={"text": text, "year": year, "month": month, "days": days},
            )
        return date(year, month, day)


class NameChoiceField(forms.ModelChoiceField):
    """A snippet chosen by its Chinese or English name, short name or slug."""

    def __init__(self, queryset, *, lookups, **kwargs):
        self.lookups = lookups
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for lookup in self.lookups:
            match = self.queryset.filter(**{f"{lookup}__iexact": text}).first()
            if match is not None:
                return match
        raise forms.ValidationError(
            _("Unknown %(kind)s “%(value)s”."),
            code="invalid_choice",
            params={"kind": self.label, "value": text},
        )


# -- unknown names -----------------------------------------------------------------------------

NEW = "new"
NAME_FIELDS = {
    "category": (Category, ("name", "name_en", "slug")),
    "department": (Department, ("name", "name_en", "short_name", "slug")),
    "district": (District, ("name", "name_en", "slug")),
}
# Parts of a name that offices add or leave out: 区教育局 / 教育局, 大旺街道 / 大旺街道办事处.
NAME_PREFIXES = ("高新区", "开发区", "区", "市", "县")
NAME_SUFFIXES = ("街道办事处", "办事处", "街道办", "街道", "委员会", "管委会", "局", "镇", "类")


def find_name(model, lookups, text):
    for lookup in lookups:
        match = model.objects.filter(**{f"{lookup}__iexact": text}).first()
        if match is not None:
            return match
    return None


def name_core(text):
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    for prefix in NAME_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix) :]
            break
    for suffix in NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text


def suggestions(model, text, limit=3):
    """Existing names close to `text`: the same but for a prefix or suffix (区/局/街道/办事处),
    then those containing it or contained in it; closest first."""
    core = name_core(text)
    ranked = []
    for obj in model.objects.all():
        other = name_core(obj.name)
        if other == core:
            ranked.append((0, obj.name, obj))
        elif len(core) >= 2 and len(other) >= 2 and (core in other or other in core):
            ranked.append((1, obj.name, obj))
    return [obj for _rank, _name, obj in sorted(ranked, key=lambda item: item[:2])][:limit]


@dataclass
class UnknownName:
    field: str
    text: str
    lines: list
    suggestions: list
    model: type

    @property
    def key(self):
        digest = hashlib.sha256(self.text.encode()).hexdigest()[:10]
        return f"name-{self.field}-{digest}"


def unknown_names(rows):
    """Every category, department and district name in `rows` that the portal does not know."""
    found = {}
    for line, values in rows:
        for name, (model, lookups) in NAME_FIELDS.items():
            text = (values.get(name) or "").strip()
            if not text:
                continue
            if (name, text) not in found:
                if find_name(model, lookups, text) is not None:
                    found[(name, text)] = None
                    continue
                found[(name, text)] = UnknownName(name, text, [], suggestions(model, text), model)
            if found[(name, text)] is not None:
                found[(name, text)].lines.append(line)
    order = list(NAME_FIELDS)
    return sorted(
        (unknown for unknown in found.values() if unknown is not None),
        key=lambda unknown: (order.index(unknown.field), unknown.lines[0]),
    )


def may_create_name(user, name_field):
    model = NAME_FIELDS[name_field][0]
    return user.has_perm(f"projects.add_{model._meta.model_name}")


def who_may_create(name_field, limit=5):
    """The people who may add a name to a list (administrators and reviewers), by name."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    model = NAME_FIELDS[name_field][0]
    permission = Permission.objects.filter(
        content_type__app_label="projects", codename=f"add_{model._meta.model_name}"
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = get_user_model().objects.filter(allowed, is_active=True).distinct()
    return [user.get_full_name() or user.get_username() for user in users.order_by("pk")[:limit]]


def create_names(resolutions, user):
    """Create the names the editor chose to create; call inside the import's transaction.
    Names the user may not create are left unknown (their rows keep the error)."""
    created = []
    for (name_field, text), choice in sorted(resolutions.items()):
        if choice != NEW or not may_create_name(user, name_field):
            continue
        model = NAME_FIELDS[name_field][0]
        if model.objects.filter(name=text).exists():
            continue
        prefix = model._meta.model_name
        number = model.objects.count() + 1
        while model.objects.filter(slug=f"{prefix}-{number}").exists():
            number += 1
        created.append(model.objects.create(name=text, slug=f"{prefix}-{number}"))
    return created


# -- item rows --------------------------------------------------------------------------------


class ItemRowForm(forms.ModelForm):
    """One row of a year's list, validated with the item model's own rules.

    The instance is the existing item with that number (upsert) or a new item placed,
    unsaved, under the year page so that `ProjectPage.clean()` and Wagtail's slug check run.
    """

    category = NameChoiceField(
        Category.objects.all(), lookups=("name", "name_en", "slug"), label=_("category")
    )
    department = NameChoiceField(
        Department.objects.all(),
        lookups=("name", "name_en", "short_name", "slug"),
        label=_("department"),
    )
    district = NameChoiceField(
        District.objects.all(), lookups=("name", "name_en", "slug"), label=_("district")
    )
    planned_start = SpreadsheetDateField(label=_("planned start"))
    planned_completion = SpreadsheetDateField(label=_("planned completion"), month_end=True)

    class Meta:
        model = ProjectPage
        fields = [name for name, _chinese in ITEM_COLUMNS]

    def __init__(self, data, *, year_page, user, existing=None):
        self.year_page = year_page
        self.user = user
        if existing is None:
            instance = ProjectPage(live=False)
            # A provisional place in the tree; `add_child` assigns the real one on save.
            instance.depth = year_page.depth + 1
            instance.path = year_page.path + "Z" * Page.steplen
        else:
            instance = existing
        self.original = {
            name: getattr(instance, self._attname(name), None) for name in self.Meta.fields
        }
        self.original_display = (
            {}
            if existing is None
            else {name: display_value(getattr(instance, name)) for name in self.Meta.fields}
        )
        super().__init__(data, instance=instance)

    @staticmethod
    def _attname(name):
        return ProjectPage._meta.get_field(name).attname

    @property
    def is_new(self):
        return self.instance.pk is None

    def clean_department(self):
        department = self.cleaned_data["department"]
        if department is not None and not may_edit_department(self.user, department.pk):
            raise forms.ValidationError(
                _("You may import only items of your own departments."), code="department"
            )
        return department

    def clean(self):
        cleaned = super().clean()
        if not self.is_new:
            if not may_edit_department(self.user, self.instance.department_id):
                self.add_error("number", _("This number belongs to another department's item."))
            elif self.instance.workflow_in_progress:
                self.add_error(
                    "number",
                    _("The item is awaiting approval; import again once it is reviewed."),
                )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Wagtail's slug check repeats the model's duplicate-number rule: keep one message.
        if "slug" in self.errors:
            slug_errors = self.errors.pop("slug")
            if "number" not in self.errors:
                self._errors["number"] = slug_errors

    def changed_fields(self):
        return [
            name
            for name in self.Meta.fields
            if getattr(self.instance, self._attname(name), None) != self.original[name]
        ]

    def changes(self):
        """{field: (old, new)} as a person reads them, for each field the row changes."""
        if self.is_new:
            return {}
        return {
            name: (self.original_display[name], display_value(getattr(self.instance, name)))
            for name in self.changed_fields()
        }


# -- progress rows ----------------------------------------------------------------------------


class ProgressRowForm(forms.ModelForm):
    """One row of a monthly progress sheet: an update of item `number`, with the update
    model's validation and, when a delay reason or revised date is given, the item's rules."""

    number = forms.IntegerField(label=_("number"), min_value=1)
    date = SpreadsheetDateField(label=_("date"), month_end=True)
    text = forms.CharField(label=_("what happened"), max_length=2000)
    delay_reason = forms.CharField(label=_("reason for delay"), required=False, max_length=1000)
    revised_completion = SpreadsheetDateField(
        label=_("revised completion"), required=False, month_end=True
    )

    class Meta:
        model = ProgressUpdatePage
        fields = ["date", "progress", "invested", "text"]

    def __init__(self, data, *, year_page, user, items):
        self.year_page = year_page
        self.user = user
        self.items = items
        self.item = None
        instance = ProgressUpdatePage(live=False)
        # Provisional place in the tree, moved under the item once its number is known, so
        # that Wagtail's slug rules run; `add_child` assigns the real one on save.
        instance.depth = year_page.depth + 1
        instance.path = year_page.path + "Z" * Page.steplen
        super().__init__(data, instance=instance)

    def clean_number(self):
        number = self.cleaned_data["number"]
        item = self.items.get(number)
        if item is None:
            raise forms.ValidationError(
                _("There is no item %(number)s in %(year)s."),
                params={"number": number, "year": self.year_page.year},
            )
        if not may_edit_department(self.user, item.department_id):
            raise forms.ValidationError(_("This item belongs to another department."))
        self.item = item
        self.instance.depth = item.depth + 1
        self.instance.path = item.path + "Z" * Page.steplen
        return number

    def clean_text(self):
        return "".join(
            f"<p>{escape(line.strip())}</p>"
            for line in self.cleaned_data["text"].splitlines()
            if line.strip()
        )

    def clean(self):
        cleaned = super().clean()
        item = self.item
        if item is None:
            return cleaned
        day = cleaned.get("date")
        if day and day.year > self.year_page.year + 1:
            self.add_error("date", _("The date is outside the list's year."))
        delay_reason = cleaned.get("delay_reason", "")
        self.check_not_backwards(cleaned.get("progress"), day, delay_reason)
        revised = cleaned.get("revised_completion")
        self.item_changes = {}
        if delay_reason:
            self.item_changes["delay_reason"] = delay_reason
        if revised:
            self.item_changes["revised_completion"] = revised
        if self.item_changes:
            if item.workflow_in_progress:
                self.add_error(
                    "delay_reason",
                    _("The item is awaiting approval; send the delay once it is reviewed."),
                )
                return cleaned
            candidate = ProjectPage.objects.get(pk=item.pk)
            for name, value in self.item_changes.items():
                setattr(candidate, name, value)
            try:
                candidate.clean()
            except forms.ValidationError as error:
                for name, messages in error.message_dict.items():
                    target = name if name in self.fields else NON_FIELD_ERRORS
                    for message in messages:
                        self.add_error(None if target == NON_FIELD_ERRORS else target, message)
            self.item_candidate = candidate
        return cleaned

    def check_not_backwards(self, progress, day, delay_reason):
        """Progress below the item's last published update before this date is a typing
        slip more often than news: it needs a reason, in the delay reason column."""
        if progress is None or day is None or delay_reason:
            return
        previous = (
            ProgressUpdatePage.objects.child_of(self.item)
            .live()
            .filter(date__lt=day)
            .order_by("-date", "-pk")
            .values_list("date", "progress")
            .first()
        )
        if previous and progress < previous[1]:
            self.add_error(
                "progress",
                _(
                    "Progress %(progress)s%% is below the %(previous)s%% reported on "
                    "%(date)s. If it really went back, give the reason in the delay reason "
                    "column."
                )
                % {"progress": progress, "previous": previous[1], "date": previous[0].isoformat()},
            )


# -- reports ----------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    values: dict
    form: forms.Form
    action: str = ""  # "create", "update", "unchanged" (items) or "update" (progress)
    extra_errors: dict = field(default_factory=dict)

    @property
    def errors(self):
        errors = {name: list(messages) for name, messages in self.form.errors.items()}
        for name, messages in self.extra_errors.items():
            errors.setdefault(name, []).extend(messages)
        return errors

    @property
    def is_valid(self):
        return not self.errors


@dataclass
class ImportReport:
    kind: str  # "items" or "progress"
    year_page: ProjectIndexPage
    columns: list
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    raw_rows: list = field(default_factory=list)
    example_lines: list = field(default_factory=list)
    saved: bool = False
    labels: dict = field(default_factory=dict)  # field → the source column's header
    notes: list = field(default_factory=list)  # values read by a stated rule (units, months)
    plan: "Plan | None" = None
    saved_page_ids: list = field(default_factory=list)  # submitted for approval by `save`

    def label(self, name):
        return self.labels.get(name) or dict(self.columns).get(name) or gettext("row")

    def problems(self):
        """(line, column header, message) for every problem of every row."""
        return [
            (row.line, self.label(name) if name != NON_FIELD_ERRORS else "", message)
            for row in self.rows
            for name, messages in row.errors.items()
            for message in messages
        ]

    @property
    def is_clean(self):
        return not self.file_errors and bool(self.rows) and all(r.is_valid for r in self.rows)

    @property
    def error_count(self):
        return len(self.file_errors) + sum(
            len(messages) for row in self.rows for messages in row.errors.values()
        )

    @property
    def invalid_rows(self):
        return [row for row in self.rows if not row.is_valid]

    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            if row.action in counts:
                counts[row.action] += 1
        return counts

    def error_lines(self):
        """Plain-text problems, one per line, for the management commands."""
        lines = list(self.file_errors)
        for row in self.rows:
            for name, messages in row.errors.items():
                column = self.label(name)
                for message in messages:
                    lines.append(
                        gettext("Row %(line)s, %(column)s: %(message)s")
                        % {"line": row.line, "column": column, "message": message}
                    )
        return lines

    @transaction.atomic
    def save(self, user, *, publish=False):
        """Save every row in one transaction; only when the whole report is clean.

        Items and updates are saved as drafts and submitted to the page's approval workflow,
        or published at once when `publish` is set (the command's `--publish`, for admins).
        The reviewers get one e-mail for the whole import (`notifications`).
        """
        if not self.is_clean:
            raise ValueError("An import with errors cannot be saved.")
        saver = self._save_item if self.kind == "items" else self._save_progress
        with collect_submissions() as submissions:
            for row in self.rows:
                saver(row, user, publish)
        transaction.on_commit(lambda: send_import_message(submissions, user=user, kind=self.kind))
        self.saved = True
        return self.counts()

    def _finish(self, page, user, publish):
        revision = page.save_revision(user=user, log_action=True)
        if not publish and page.pk not in self.saved_page_ids:
            self.saved_page_ids.append(page.pk)
        if publish:
            revision.publish(user=user)
            return
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, user)

    def _save_item(self, row, user, publish):
        if row.action == "unchanged":
            return
        page = row.form.instance
        if row.action == "create":
            page.path = None
            page.depth = None
            page.owner = user
            self.year_page.add_child(instance=page)
        self._finish(page, user, publish)

    def _save_progress(self, row, user, publish):
        form = row.form
        update = form.instance
        update.owner = user
        update.path = None
        update.depth = None
        form.item.add_child(instance=update)
        self._finish(update, user, publish)
        candidate = getattr(form, "item_candidate", None)
        if candidate is not None:
            self._finish(candidate, user, publish)


def _duplicates(rows, field_name):
    seen = {}
    for row in rows:
        value = row.form.cleaned_data.get(field_name) if row.form.is_valid() else None
        if value is None:
            value = row.values.get(field_name, "").strip() or None
        if value is not None:
            seen.setdefault(str(value), []).append(row)
    return {value: group for value, group in seen.items() if len(group) > 1}


def _load(report, uploaded, rows, plan):
    if rows is not None:
        return [(line, dict(values)) for line, values in rows]
    if plan is None:
        try:
            _sheets, plan = read_plan(uploaded, report.kind)
        except ImportFileError as error:
            report.file_errors.append(str(error))
            return None
    report.plan = plan
    report.labels = plan.labels()
    report.example_lines = plan.examples
    if plan.problems:
        report.file_errors.extend(plan.problems)
        return None
    rows = plan.table.rows
    if not rows:
        report.file_errors.append(
            gettext("The file has only the template's example row: add your rows below it.")
            if report.example_lines
            else gettext("The file has no rows below the header.")
        )
    return [(line, dict(values)) for line, values in rows]


def _round_coordinates(values):
    for name in ("latitude", "longitude"):
        text = sheets.fold_text(values.get(name, ""))
        try:
            values[name] = str(Decimal(text).quantize(Decimal("0.000001"))) if text else text
        except ArithmeticError:
            values[name] = text  # the form reports the bad number


def _read_values(report, line, values):
    """Numbers as people write them (units, separators, full-width digits, fractions), each
    value read by a rule the editor should know of noted in `report.notes`."""
    units = report.plan.units() if report.plan else {}
    for name in list(values):
        text = values[name]
        if name in sheets.MONEY_FIELDS:
            values[name], note = sheets.read_amount(text, units.get(name, ""))
        elif name in sheets.PERCENT_FIELDS:
            values[name], note = sheets.read_percent(text)
        else:
            note = None
            if name == "number":
                values[name] = sheets.fold_text(text)
                if re.fullmatch(r"\d+\.0+", values[name] or ""):
                    values[name] = values[name].split(".")[0]
            elif name in {"planned_start", "planned_completion", "date", "revised_completion"}:
                folded = unicodedata.normalize("NFKC", text or "").strip()
                if sheets_month(folded):
                    note = {"rule": "month_end" if name != "planned_start" else "month_start"}
        if note:
            report.notes.append(
                {
                    "line": line,
                    "field": name,
                    "column": report.label(name),
                    "original": text,
                    **note,
                }
            )
    return values


def sheets_month(text):
    return bool(MONTH_PATTERN.match(text))


def _apply_resolutions(report, line, values, resolutions):
    """Unknown names the editor resolved in the preview: an existing name chosen instead."""
    for name in NAME_FIELDS:
        text = (values.get(name) or "").strip()
        choice = resolutions.get((name, text)) if resolutions else None
        if choice is not None and choice != NEW:
            values[name] = choice.name


def validate_items(uploaded=None, *, year_page, user, rows=None, plan=None, resolutions=None):
    """Check a year's list (an uploaded file, its plan, or rows read before); nothing is saved.

    `resolutions` maps (field, unknown name) to an existing snippet or `NEW` (the caller
    creates those, in a transaction, before validating)."""
    report = ImportReport("items", year_page, ITEM_COLUMNS)
    rows = _load(report, uploaded, rows, plan)
    if rows is None:
        return report
    report.raw_rows = rows
    existing = {
        item.number: item
        for item in ProjectPage.objects.child_of(year_page).select_related(
            "category", "department", "district"
        )
    }
    for line, values in rows:
        values = _read_values(report, line, dict(values))
        _apply_resolutions(report, line, values, resolutions)
        _round_coordinates(values)
        number = values.get("number", "").strip()
        item = existing.get(int(number)) if number.isdigit() else None
        form = ItemRowForm(values, year_page=year_page, user=user, existing=item)
        row = RowResult(line, values, form)
        if form.is_valid():
            row.action = (
                "create" if form.is_new else ("update" if form.changed_fields() else "unchanged")
            )
        report.rows.append(row)
    _flag_repeated_numbers(report, _("Number %(number)s appears more than once (rows %(lines)s)."))
    return report


def validate_progress(uploaded=None, *, year_page, user, rows=None, plan=None, resolutions=None):
    """Check a monthly progress sheet (a file, its plan, or rows read before); nothing is saved."""
    report = ImportReport("progress", year_page, PROGRESS_COLUMNS)
    rows = _load(report, uploaded, rows, plan)
    if rows is None:
        return report
    report.raw_rows = rows
    items = {item.number: item for item in ProjectPage.objects.child_of(year_page)}
    for line, values in rows:
        values = _read_values(report, line, dict(values))
        form = ProgressRowForm(values, year_page=year_page, user=user, items=items)
        row = RowResult(line, values, form, action="update")
        form.is_valid()
        report.rows.append(row)
    _flag_repeated_numbers(report, _("Item %(number)s appears more than once (rows %(lines)s)."))
    return report


def _flag_repeated_numbers(report, message):
    """Mark every row whose item number is used by another row of the same file."""
    for value, group in _duplicates(report.rows, "number").items():
        lines = ", ".join(str(r.line) for r in group)
        for row in group:
            row.extra_errors.setdefault("number", []).append(
                str(message) % {"number": value, "lines": lines}
            )


def scoped_departments(user):
    """The departments `user` may import for (all of them when not scoped)."""
    if is_department_scoped(user):
        return Department.objects.filter(pk__in=department_ids(user))
    return Department.objects.all()
