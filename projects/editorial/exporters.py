"""Spreadsheets out: a year's items with their current figures, and the monthly report.

The year export starts with the import template's columns (so an exported file can be edited
and imported again), followed by the derived figures. Used by the admin views and the
`export_year` command.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ..choices import Colour
from ..models import ProjectPage
from .importers import ITEM_COLUMNS
from .permissions import scope_items

COLOUR_FILLS = {
    Colour.BLUE: "BDD7EE",
    Colour.GREEN: "C6EFCE",
    Colour.YELLOW: "FFEB9C",
    Colour.ORANGE: "F8CBAD",
    Colour.RED: "FFC7CE",
}
FIGURE_COLUMNS = [
    ("progress", "形象进度（%）"),
    ("expected_progress", "序时进度（%）"),
    ("lag", "滞后（百分点）"),
    ("colour", "督办颜色"),
    ("status", "状态"),
    ("invested", "累计完成投资（万元）"),
    ("revised_completion", "调整后完成日期"),
    ("delay_reason", "滞后原因"),
    ("last_update_date", "最近更新"),
]


def year_rows(year_page, user=None):
    """Header and one row per item (all items of the year, published or not; a department
    editor's `user`: only their departments' items)."""
    items = (
        scope_items(ProjectPage.objects.child_of(year_page), user)
        .select_related("category", "department", "district")
        .order_by("number")
    )
    header = [chinese for _name, chinese in ITEM_COLUMNS + FIGURE_COLUMNS]
    rows = []
    for item in items:
        row = []
        for name, _chinese in ITEM_COLUMNS + FIGURE_COLUMNS:
            value = getattr(item, name)
            if name in ("category", "department", "district"):
                value = value.name
            elif name in ("colour", "status"):
                value = str(getattr(item, f"get_{name}_display")())
            row.append(value)
        rows.append((item, row))
    return header, rows


def _xlsx_bytes(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _fit_columns(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def year_xlsx(year_page, user=None):
    header, rows = year_rows(year_page, user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year_page.year)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    colour_column = header.index("督办颜色") + 1
    for item, row in rows:
        sheet.append(row)
        fill = COLOUR_FILLS.get(item.colour)
        if fill:
            sheet.cell(row=sheet.max_row, column=colour_column).fill = PatternFill(
                "solid", fgColor=fill
            )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year") and not isinstance(cell.value, int):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "C2"
    _fit_columns(sheet, [10, 30, 10, 16, 12, 24, 12, 12, 14, 14, 14, 40] + [12] * 9)
    return _xlsx_bytes(workbook)


def year_csv(year_page, user=None):
    """UTF-8 with a byte-order mark, so Excel in Chinese opens it correctly."""
    header, rows = year_rows(year_page, user)
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(header)
    for _item, row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return output.getvalue().encode("utf-8")


def report_xlsx(report, department_sort="behind"):
    """The monthly report as a workbook: summary, red and orange items, departments, items."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append([_("Monthly supervision report"), f"{report.year}-{report.month:02d}"])
    summary.append([_("Figures as of"), report.on])
    summary.cell(row=2, column=2).number_format = "yyyy-mm-dd"
    summary.append([_("Items"), report.total])
    labels = {
        "completed": _("Completed"),
        "on_schedule": _("On schedule"),
        "behind": _("Behind schedule"),
    }
    for key, count in report.counts.items():
        summary.append([labels[key], count])
    summary.append([])
    for colour, count in report.colours:
        summary.append([str(colour.label), count])
        summary.cell(row=summary.max_row, column=1).fill = PatternFill(
            "solid", fgColor=COLOUR_FILLS[colour]
        )
    summary.append([])
    summary.append([_("Planned investment (10,000 yuan)"), report.planned])
    summary.append([_("Invested so far (10,000 yuan)"), report.invested])
    summary.append([_("Invested / planned (%)"), report.invested_share])
    _fit_columns(summary, [32, 16])

    flagged = workbook.create_sheet(_("Red and orange"))
    flagged.append(
        [
            _("No."),
            _("Item"),
            _("Department"),
            _("Colour"),
            _("Progress (%)"),
            _("Expected (%)"),
            _("Lag (points)"),
            _("Reason for delay"),
        ]
    )
    for figure in report.flagged:
        item = figure.item
        flagged.append(
            [
                item.number,
                item.title,
                item.department.name,
                figure.get_colour_display(),
                figure.progress,
                figure.expected,
                figure.lag,
                figure.reason,
            ]
        )
        flagged.cell(row=flagged.max_row, column=4).fill = PatternFill(
            "solid", fgColor=COLOUR_FILLS[figure.colour]
        )
    _fit_columns(flagged, [6, 30, 16, 12, 10, 10, 10, 40])

    departments = workbook.create_sheet(_("Departments"))
    departments.append(
        [
            _("Department"),
            _("Items"),
            _("Completed"),
            _("Behind"),
            _("Red or orange"),
            _("Stale"),
            _("Feedback overdue"),
            _("Average progress (%)"),
        ]
    )
    for row in report.sorted_departments(department_sort):
        departments.append(
            [
                row.department.name,
                row.items,
                row.completed,
                row.behind,
                row.flagged,
                row.stale,
                row.feedback_overdue,
                row.average_progress,
            ]
        )
    _fit_columns(departments, [20, 8, 10, 8, 12, 8, 14, 16])

    items = workbook.create_sheet(_("Items"))
    items.append(
        [
            _("No."),
            _("Item"),
            _("Department"),
            _("Progress (%)"),
            _("Expected (%)"),
            _("Lag (points)"),
            _("Colour"),
            _("Invested (10,000 yuan)"),
            _("Planned (10,000 yuan)"),
            _("Latest update"),
            _("Stale"),
        ]
    )
    for figure in report.figures:
        items.append(
            [
                figure.item.number,
                figure.item.title,
                figure.department.name,
                figure.progress,
                figure.expected,
                figure.lag,
                figure.get_colour_display(),
                figure.invested,
                figure.plan,
                figure.last_update,
                _("yes") if figure.stale else "",
            ]
        )
    _fit_columns(items, [6, 30, 16, 10, 10, 10, 12, 14, 14, 12, 8])
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return _xlsx_bytes(workbook)
