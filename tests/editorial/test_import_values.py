"""Figures, percentages, dates and headers as people write them in spreadsheets."""

from datetime import date

import pytest
from django import forms

from projects.editorial import sheets
from projects.editorial.importers import SpreadsheetDateField, name_core

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("written", "read", "converted"),
    [
        ("3,200", "3200", False),
        ("3，200", "3200", False),
        ("１２００", "1200", False),
        ("5800万元", "5800", False),
        ("5,800 万元", "5800", False),
        ("1,500元", "0.15", True),
        ("2,500,000", "2500000", False),
        ("0.2亿元", "2000", True),
        ("￥300万", "300", False),
        ("0", "0", False),
        ("", "", False),
        ("约300", "约300", False),  # not a figure: left for the form to reject
    ],
)
def test_amounts(written, read, converted):
    value, note = sheets.read_amount(written)
    assert value == read
    assert (note is not None) == converted


def test_a_header_in_yuan_converts_plain_figures():
    assert sheets.header_unit("总投资（元）") == "元"
    assert sheets.read_amount("2,500,000", "元")[0] == "250"
    assert sheets.read_amount("300万元", "元")[0] == "300", "the figure's own unit wins"


@pytest.mark.parametrize(
    ("written", "read", "rule"),
    [
        ("65%", "65", None),
        ("６５％", "65", None),
        ("65", "65", None),
        ("0.65", "65", "fraction"),
        ("1", "1", None),
        ("100%", "100", None),
        ("65.5", "66", "rounded"),
    ],
)
def test_percentages(written, read, rule):
    value, note = sheets.read_percent(written)
    assert value == read
    assert (note or {}).get("rule") == rule


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2023-03-01", date(2023, 3, 1), date(2023, 3, 1)),
        ("2023/3/1", date(2023, 3, 1), date(2023, 3, 1)),
        ("2023.3.1", date(2023, 3, 1), date(2023, 3, 1)),
        ("2023年3月1日", date(2023, 3, 1), date(2023, 3, 1)),
        ("２０２３年３月１日", date(2023, 3, 1), date(2023, 3, 1)),
        ("2023-3", date(2023, 3, 1), date(2023, 3, 31)),
        ("2023年2月", date(2023, 2, 1), date(2023, 2, 28)),
        ("44986", date(2023, 3, 1), date(2023, 3, 1)),  # an Excel date as its serial number
    ],
)
def test_dates(written, start, end):
    assert SpreadsheetDateField().clean(written) == start
    assert SpreadsheetDateField(month_end=True).clean(written) == end


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2023-2-30", "“2023-2-30” is not a date: 2023-2 has only 28 days."),
        ("2024年2月30日", "“2024年2月30日” is not a date: 2024-2 has only 29 days."),
        ("2023-13-1", "“2023-13-1” is not a date: there is no month 13."),
        ("2023-13", "“2023-13” is not a date: there is no month 13."),
    ],
)
def test_impossible_dates_say_why(written, message):
    with pytest.raises(forms.ValidationError) as error:
        SpreadsheetDateField().clean(written)
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序号", "number"),
        ("项目\n编号", "number"),
        ("所在街道", "district"),
        ("镇街", "district"),
        ("牵头单位", "department"),
        ("实施单位", "department"),
        ("计划投资\n（万元）", "budget"),
        ("总投资(万元)", "budget"),
        ("计划开工", "planned_start"),
        ("竣工时间", "planned_completion"),
        ("Planned start", "planned_start"),
        ("planned_completion", "planned_completion"),
        ("建设内容", "title"),
    ],
)
def test_header_wordings(header, field):
    assert sheets.detect_mapping([[header]], "items") == [field]


def test_content_goes_to_the_summary_when_there_is_a_name_column():
    assert sheets.detect_mapping([["项目名称"], ["建设内容"]], "items") == ["title", "summary"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("区教育局", "教育局"), ("高新区住建局", "区住建局"), ("大旺街道办事处", "大旺街道")],
)
def test_names_differing_by_a_prefix_or_suffix_share_a_core(a, b):
    assert name_core(a) == name_core(b)


def test_formatting_far_from_the_table_does_not_make_the_sheet_huge():
    """Offices format whole rows and columns; only the cells with values are read."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "项目名称"])
    sheet.append([1, "学校"])
    sheet.cell(row=1, column=16000).number_format = "0.00"
    sheet.cell(row=3000, column=30).number_format = "0.00"
    output = io.BytesIO()
    workbook.save(output)
    (read,) = sheets.read_sheets(SimpleUploadedFile("wide.xlsx", output.getvalue()))
    assert read.rows == [["序号", "项目名称"], ["1", "学校"]]
