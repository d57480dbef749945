"""A year's published items as CSV and XLSX at `/<year>/download.csv` and `.xlsx`: the API's
item fields (`data.item_data`), one row an item in number order, with Chinese column headers.

CSV is UTF-8 with a byte-order mark, so Excel in Chinese opens it as Chinese text. Only what
the public site shows (`data.public_items`); nothing of the editors' export (`projects.editorial
.exporters`) that is not public. Under `/<year>/`, so publishing anything in the year purges the
cached files with its pages.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from . import data


def _name(snippet):
    return snippet["name"]


def _join(values):
    return "、".join(values)


# (header, value from `data.item_data`); the order of the API's fields.
COLUMNS = [
    ("年度", lambda d: d["year"]),
    ("项目编号", lambda d: d["number"]),
    ("项目名称", lambda d: d["title"]),
    ("英文名称", lambda d: d["title_en"]),
    ("项目简介", lambda d: d["summary"]),
    ("类别", lambda d: _name(d["category"])),
    ("责任单位", lambda d: _name(d["department"])),
    ("片区/街道", lambda d: _name(d["district"])),
    ("地址", lambda d: d["address"]),
    ("经度", lambda d: d["longitude"]),
    ("纬度", lambda d: d["latitude"]),
    ("计划投资（万元）", lambda d: d["budget"]),
    ("调整后投资（万元）", lambda d: d["revised_budget"]),
    ("累计完成投资（万元）", lambda d: d["invested"]),
    ("计划开工日期", lambda d: d["planned_start"]),
    ("计划完成日期", lambda d: d["planned_completion"]),
    ("调整后完成日期", lambda d: d["revised_completion"]),
    ("延期原因", lambda d: d["delay_reason"]),
    ("暂停施工", lambda d: "是" if d["suspended"] else "否"),
    ("形象进度（%）", lambda d: d["progress"]),
    ("序时进度（%）", lambda d: d["expected_progress"]),
    ("滞后（百分点）", lambda d: d["lag"]),
    ("状态", lambda d: d["status_label"]),
    ("督办颜色", lambda d: d["colour_label"]),
    ("最近更新", lambda d: d["last_update_date"]),
    ("标签", lambda d: _join(d["tags"])),
    ("封面照片", lambda d: (d["cover_photo"] or {}).get("large_url")),
    ("项目页面", lambda d: d["url"]),
]
HEADERS = [header for header, _value in COLUMNS]
MONEY_HEADERS = {header for header in HEADERS if "万元" in header}


def year_rows(request, year):
    """The year page and one row of values per published item, in number order (Chinese
    labels for the status and colour, as the headers are Chinese)."""
    year_page = data.public_year(request, year)
    items = data.public_items(request).child_of(year_page).order_by("number")
    with translation.override("zh-hans"):
        rows = [[value(d) for _header, value in COLUMNS] for d in data.items_data(request, items)]
    return year_page, rows


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def year_csv(request, year):
    year_page, rows = year_rows(request, year)
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return _attachment(
        output.getvalue().encode("utf-8"),
        "text/csv; charset=utf-8",
        f"minsheng-{year_page.year}.csv",
    )


@require_safe
def year_xlsx(request, year):
    year_page, rows = year_rows(request, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year_page.year)
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money_columns = [index for index, header in enumerate(HEADERS) if header in MONEY_HEADERS]
    for row in rows:
        # Money as numbers a spreadsheet can add up, shown with two places.
        for index in money_columns:
            if row[index] is not None:
                row[index] = Decimal(row[index])
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if hasattr(cell.value, "year") and not isinstance(cell.value, int):
                cell.number_format = "yyyy-mm-dd"
            elif cell.column - 1 in money_columns:
                cell.number_format = "0.00"
    sheet.freeze_panes = "D2"
    output = io.BytesIO()
    workbook.save(output)
    return _attachment(
        output.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"minsheng-{year_page.year}.xlsx",
    )
