"""Admin views of the editors' tools: imports with a preview, exports, the monthly report.

An import is two steps. The upload is read and every row validated; the preview shows every
problem by row and column. Only a clean file gets a "save" button, which posts the rows back
signed (so they cannot be altered in between); they are validated again and saved in one
transaction. Wired in `urls.py`, reached from the "Import & export" menu.
"""

import hashlib
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from ..models import ImportBatch, ImportLayout, ProjectIndexPage
from . import exporters, importers
from .reports import DEPARTMENT_SORTS, default_month, monthly_report

SIGNING_SALT = "projects.editorial.import"
SIGNED_MAX_AGE = 3600


def user_may_use_editorial_tools(user):
    """Editors, reviewers and administrators (anyone who may add or change pages)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return policy_registry.get_by_type(Page).user_has_any_permission(
        user, {"add", "change", "publish"}
    )


class EditorialMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_use_editorial_tools(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("editorial:index"), "label": _("Import & export")},
        ]
        if self.page_title != gettext_lazy("Import & export"):
            items.append({"url": "", "label": self.get_page_title()})
        return items


def _years():
    return ProjectIndexPage.objects.order_by("-year")


class IndexView(EditorialMixin, TemplateView):
    template_name = "projects/editorial/admin/index.html"
    page_title = gettext_lazy("Import & export")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(years=_years(), today=today, **kwargs)


class ImportForm(forms.Form):
    year = forms.ModelChoiceField(
        queryset=ProjectIndexPage.objects.none(),
        label=gettext_lazy("Year"),
        empty_label=None,
        help_text=gettext_lazy("Create the year's page first if it is a new year."),
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "An .xlsx or .csv file: our template, or the list as your office made it "
            "(title rows, its own column names and units are recognised; you check the "
            "columns before anything is saved)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = _years()


class ImportView(EditorialMixin, TemplateView):
    """Upload → preview (columns, unknown names, every problem) → save in one transaction.

    The upload is read once; its sheets go back and forth signed (`source`), so the editor can
    change the sheet, the column mapping and the unknown names' resolutions and check again
    without uploading the file again. Saving re-reads the same source with the same choices;
    names to create are created inside the import's transaction, so a failure leaves nothing.
    """

    template_name = "projects/editorial/admin/import.html"
    kind = "items"

    @cached_property
    def validate(self):
        return importers.validate_items if self.kind == "items" else importers.validate_progress

    def get_page_title(self):
        if self.kind == "items":
            return _("Import a year's list")
        return _("Import monthly progress")

    def get(self, request):
        form = ImportForm(initial={"year": request.GET.get("year")})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        if "source" in request.POST:
            return self.recheck(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        year_page = form.cleaned_data["year"]
        try:
            sheet_list, plan = importers.read_plan(
                form.cleaned_data["file"], self.kind, remembered=self.remembered
            )
        except importers.ImportFileError as error:
            report = importers.ImportReport(self.kind, year_page, self.columns)
            report.file_errors.append(str(error))
            return self.render_to_response(self.get_context_data(form=form, report=report))
        source = {
            "kind": self.kind,
            "year": year_page.pk,
            "file": form.cleaned_data["file"].name,
            "sheets": [
                {"name": item.name, "rows": item.rows}
                if index in plan.candidates
                else {"name": item.name, "rows": []}
                for index, item in enumerate(sheet_list)
            ],
        }
        return self.check(request, source, sheet_list, plan, resolutions={}, save=False)

    @cached_property
    def columns(self):
        return importers.ITEM_COLUMNS if self.kind == "items" else importers.PROGRESS_COLUMNS

    def remembered(self, key):
        layout = ImportLayout.objects.filter(kind=self.kind, header_key=key).first()
        return layout.mapping if layout else None

    def recheck(self, request):
        try:
            source = signing.loads(
                request.POST["source"], salt=SIGNING_SALT, max_age=SIGNED_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect(request.path)
        if source.get("kind") != self.kind:
            raise PermissionDenied
        sheet_list = [importers.sheets.Sheet(s["name"], s["rows"]) for s in source["sheets"]]
        try:
            sheet = int(request.POST.get("sheet", ""))
        except ValueError:
            sheet = None
        mapping = None
        if "col-0" in request.POST:
            mapping = []
            index = 0
            while f"col-{index}" in request.POST:
                mapping.append(request.POST[f"col-{index}"])
                index += 1
        if sheet is not None and request.POST.get("shown_sheet") != str(sheet):
            mapping = None  # another sheet: detect its columns afresh
        plan = importers.plan_import(
            sheet_list, self.kind, sheet=sheet, mapping=mapping, remembered=self.remembered
        )
        resolutions = {}
        for unknown in importers.unknown_names(plan.table.rows):
            choice = request.POST.get(unknown.key, "")
            if choice == importers.NEW and importers.may_create_name(request.user, unknown.field):
                resolutions[(unknown.field, unknown.text)] = importers.NEW
            elif choice.isdigit():
                match = unknown.model.objects.filter(pk=int(choice)).first()
                if match is not None:
                    resolutions[(unknown.field, unknown.text)] = match
        save = "save" in request.POST
        if save and request.POST.get("checked") != self.digest(plan, resolutions):
            messages.warning(
                request, _("You changed the choices: check the result below, then save.")
            )
            save = False
        return self.check(request, source, sheet_list, plan, resolutions=resolutions, save=save)

    @staticmethod
    def digest(plan, resolutions):
        choices = [
            plan.sheet,
            plan.mapping,
            sorted(
                [name, text, choice if choice == importers.NEW else choice.pk]
                for (name, text), choice in resolutions.items()
            ),
        ]
        return hashlib.sha256(json.dumps(choices, ensure_ascii=False).encode()).hexdigest()[:32]

    def check(self, request, source, sheet_list, plan, *, resolutions, save):
        year_page = get_object_or_404(ProjectIndexPage, pk=source["year"])
        unknowns = importers.unknown_names(plan.table.rows)
        with transaction.atomic():
            importers.create_names(resolutions, request.user)
            report = self.validate(
                year_page=year_page, user=request.user, plan=plan, resolutions=resolutions
            )
            if save and report.is_clean:
                counts = report.save(request.user)
                if report.saved_page_ids:
                    ImportBatch.objects.create(
                        kind=self.kind,
                        year_page=year_page,
                        imported_by=request.user,
                        page_ids=report.saved_page_ids,
                    )
                ImportLayout.objects.update_or_create(
                    kind=self.kind,
                    header_key=plan.key,
                    defaults={
                        "headers": plan.layout.labels(),
                        "mapping": plan.mapping,
                        "saved_by": request.user,
                    },
                )
                return self.saved(request, year_page, report, counts)
            # A preview: whatever was created to check the rows is undone.
            transaction.set_rollback(True)
        form = ImportForm(initial={"year": year_page.pk})
        context = self.get_context_data(
            form=form,
            report=report,
            plan=plan,
            source=signing.dumps(source, salt=SIGNING_SALT, compress=True),
            checked=self.digest(plan, resolutions),
            unknowns=[self.unknown_choice(u, resolutions, request.user) for u in unknowns],
            file_name=source.get("file", ""),
        )
        return self.render_to_response(context)

    def unknown_choice(self, unknown, resolutions, user):
        choice = resolutions.get((unknown.field, unknown.text))
        may_create = importers.may_create_name(user, unknown.field)
        suggested = {obj.pk for obj in unknown.suggestions}
        others = [obj for obj in unknown.model.objects.all() if obj.pk not in suggested]
        return {
            "unknown": unknown,
            "label": dict(self.columns).get(unknown.field, unknown.field),
            "kind": unknown.model._meta.verbose_name,
            "selected": ""
            if choice is None
            else (choice if choice == importers.NEW else choice.pk),
            "may_create": may_create,
            "creators": [] if may_create else importers.who_may_create(unknown.field),
            "others": others,
            "lines": ", ".join(map(str, unknown.lines[:10]))
            + ("…" if len(unknown.lines) > 10 else ""),
        }

    def saved(self, request, year_page, report, counts):
        if self.kind == "items":
            messages.success(
                request,
                _(
                    "%(created)s items created and %(updated)s changed, all submitted for "
                    "approval; %(unchanged)s unchanged."
                )
                % {
                    "created": counts["create"],
                    "updated": counts["update"],
                    "unchanged": counts["unchanged"],
                },
            )
        else:
            messages.success(
                request,
                _("%(count)s progress updates submitted for approval.")
                % {"count": len(report.rows)},
            )
        return redirect("wagtailadmin_explore", year_page.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns = self.columns
        context.update(
            kind=self.kind,
            columns=columns,
            field_choices=columns,
            template_url=reverse("editorial:template", args=[self.kind]),
        )
        report = kwargs.get("report")
        if report is not None:
            context["preview_rows"] = [self.preview_row(row, columns) for row in report.rows]
            context["example_lines"] = ", ".join(map(str, report.example_lines))
            context["problems"] = report.problems()[:200]
            context["notes"] = [self.note_text(note) for note in report.notes]
        plan = kwargs.get("plan")
        if plan is not None:
            reasons = {
                "note": _("total or note"),
                "heading": _("title or heading"),
                "header": _("repeated header"),
            }
            context["left_out"] = [
                {"line": item.line, "text": item.text[:40], "reason": reasons[item.reason]}
                for item in plan.table.left_out
            ]
            context["header_lines"] = (
                f"{plan.layout.header_start + 1}"
                if plan.layout.header_depth == 1
                else f"{plan.layout.header_start + 1}–{plan.layout.data_start}"
            )
            context["sheet_name"] = plan.sheet_names[plan.sheet]
            context["sheet_options"] = [
                (index, plan.sheet_names[index]) for index in plan.candidates
            ]
        return context

    def note_text(self, note):
        values = {"line": note["line"], "column": note["column"], "original": note["original"]}
        values["result"] = note.get("result", "")
        rule = note["rule"]
        if rule == "money":
            values["unit"] = note["unit"]
            return (
                _("Row %(line)s, %(column)s: “%(original)s” in %(unit)s, read as %(result)s 万元.")
                % values
            )
        if rule == "fraction":
            return (
                _("Row %(line)s, %(column)s: “%(original)s” read as a fraction, %(result)s%%.")
                % values
            )
        if rule == "rounded":
            return _("Row %(line)s, %(column)s: “%(original)s” rounded to %(result)s%%.") % values
        if rule == "month_start":
            return (
                _(
                    "Row %(line)s, %(column)s: “%(original)s” gives a month only; "
                    "read as its first day."
                )
                % values
            )
        return (
            _("Row %(line)s, %(column)s: “%(original)s” gives a month only; read as its last day.")
            % values
        )

    def preview_row(self, row, columns):
        """One row of the preview; a changed field of an existing item shows old → new."""
        changed = self.kind == "items" and row.action == "update"
        changes = row.form.changes() if changed else {}
        return {
            "line": row.line,
            "action": row.action,
            "row_errors": row.errors.get("__all__", []),
            "cells": [
                {
                    "name": name,
                    "value": changes[name][1] if name in changes else row.values.get(name, ""),
                    "old": changes[name][0] if name in changes else None,
                    "errors": row.errors.get(name, []),
                }
                for name, _chinese in columns
            ],
        }


def pending_states(batch):
    """The active workflow states of a batch's pages (those still awaiting review)."""
    return WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in batch.page_ids],
    )


def approve_import(request, pk):
    """Approve every page of one import still awaiting review, in one action.

    Each page passes the check Wagtail's own approve button makes (the current task offers
    "approve" to this user) and is approved through the task, which logs it and publishes it,
    as one-by-one approval does. All in one transaction: an error leaves every page as it was.
    """
    if request.method != "POST":
        return redirect("wagtailadmin_home")
    if not user_may_use_editorial_tools(request.user):
        raise PermissionDenied
    batch = get_object_or_404(ImportBatch, pk=pk)
    approved = refused = 0
    with transaction.atomic():
        states = pending_states(batch).select_related("current_task_state__task")
        pages = {str(page.pk): page for page in Page.objects.filter(pk__in=batch.page_ids)}
        states = [state for state in states if state.object_id in pages]
        for state in sorted(states, key=lambda s: pages[s.object_id].path):
            page = pages[state.object_id].specific
            task_state = state.current_task_state
            if task_state is None:
                continue
            task_state = task_state.specific
            task = task_state.task.specific
            if "approve" not in [action[0] for action in task.get_actions(page, request.user)]:
                refused += 1
                continue
            task.on_action(task_state, request.user, "approve")
            approved += 1
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)s page of the import approved.",
                "%(count)s pages of the import approved.",
                approved,
            )
            % {"count": approved},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(count)s page of the import is not yours to approve; it was left as it was.",
                "%(count)s pages of the import are not yours to approve; they were left as "
                "they were.",
                refused,
            )
            % {"count": refused},
        )
    if not approved and not refused:
        messages.info(request, _("Every page of this import has already been reviewed."))
    return redirect("wagtailadmin_home")


def template_download(request, kind):
    if not user_may_use_editorial_tools(request.user):
        raise PermissionDenied
    if kind not in ("items", "progress"):
        raise Http404
    if kind == "items":
        data = importers.template_workbook(importers.ITEM_COLUMNS, importers.ITEM_EXAMPLE)
        filename = "民生实事导入模板.xlsx"
    else:
        data = importers.template_workbook(importers.PROGRESS_COLUMNS, importers.PROGRESS_EXAMPLE)
        filename = "月度进度导入模板.xlsx"
    return _attachment(data, filename, XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename):
    from urllib.parse import quote

    return quote(filename)


def export_year(request, year, fmt):
    if not user_may_use_editorial_tools(request.user):
        raise PermissionDenied
    year_page = get_object_or_404(ProjectIndexPage, year=year)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "csv":
        return _attachment(
            exporters.year_csv(year_page, request.user),
            f"{year}年民生实事.csv",
            "text/csv; charset=utf-8",
        )
    return _attachment(exporters.year_xlsx(year_page, request.user), f"{year}年民生实事.xlsx", XLSX)


class MonthlyReportView(ReportView):
    """The monthly supervision report (月报) for one year and month; XLSX and CSV export."""

    template_name = "projects/editorial/admin/monthly_report.html"
    page_title = gettext_lazy("Monthly supervision report")
    header_icon = "table"
    index_url_name = "editorial:monthly_report"
    index_results_url_name = "editorial:monthly_report"
    paginate_by = None
    list_export = [
        "item.number",
        "item.title",
        "department.name",
        "progress",
        "expected",
        "lag",
        "get_colour_display",
        "invested",
        "plan",
        "last_update",
        "stale",
    ]
    export_headings = {
        "item.number": gettext_lazy("No."),
        "item.title": gettext_lazy("Item"),
        "department.name": gettext_lazy("Department"),
        "progress": gettext_lazy("Progress (%)"),
        "expected": gettext_lazy("Expected (%)"),
        "lag": gettext_lazy("Lag (points)"),
        "get_colour_display": gettext_lazy("Colour"),
        "invested": gettext_lazy("Invested (10,000 yuan)"),
        "plan": gettext_lazy("Planned (10,000 yuan)"),
        "last_update": gettext_lazy("Latest update"),
        "stale": gettext_lazy("Stale"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not user_may_use_editorial_tools(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def report(self):
        today = timezone.localdate()
        years = _years()
        year_page = years.filter(year=self.request.GET.get("year") or 0).first()
        if year_page is None:
            year_page = years.filter(year__lte=today.year).first() or years.first()
        if year_page is None:
            return None
        try:
            month = int(self.request.GET.get("month") or 0)
        except ValueError:
            month = 0
        if not 1 <= month <= 12:
            month = default_month(year_page, today)
        return monthly_report(year_page, year_page.year, month, today=today, user=self.request.user)

    @property
    def department_sort(self):
        sort = self.request.GET.get("sort", "behind")
        return sort if sort in DEPARTMENT_SORTS else "behind"

    def get_queryset(self):
        return self.report.figures if self.report else []

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_filename(self):
        report = self.report
        return f"monthly-report-{report.year}-{report.month:02d}" if report else "monthly-report"

    def get_export_url(self, format):
        params = self.request.GET.copy()
        params["export"] = format
        return f"{reverse(self.index_url_name)}?{params.urlencode()}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format == self.FORMAT_XLSX and self.report is not None:
            response = HttpResponse(
                exporters.report_xlsx(self.report, self.department_sort), content_type=XLSX
            )
            response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.xlsx"'
            return response
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            report=report,
            years=_years(),
            months=range(1, 13),
            department_sort=self.department_sort,
            thresholds=settings.PORTAL_LAG_THRESHOLDS,
            sort_columns=[
                ("name", _("Department")),
                ("items", _("Items")),
                ("completed", _("Completed")),
                ("behind", _("Behind")),
                ("flagged", _("Red or orange")),
                ("stale", _("Stale")),
                ("feedback_overdue", _("Feedback overdue")),
                ("average_progress", _("Average progress (%)")),
            ],
        )
        if report is not None:
            context["department_rows"] = report.sorted_departments(self.department_sort)
            context["year_export_url"] = reverse(
                "editorial:export_year", args=[report.year, "xlsx"]
            )
        return context


monthly_report_view = MonthlyReportView.as_view()
index_view = IndexView.as_view()
import_items_view = ImportView.as_view(kind="items")
import_progress_view = ImportView.as_view(kind="progress")
