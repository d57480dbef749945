"""A year's list as a district office makes it, not as our template: built with openpyxl the
way people build it in Excel or WPS.

- a title merged across the columns, a subtitle, a blank row;
- a two-row header in the office's own words: 序号, 牵头单位, 所在街道, 建设地点, `计划投资`
  over `（万元）`, `时间` merged over `计划开工` / `计划完工`, 建设内容及规模, 备注;
- budgets written `3,200`, `3，200`, `5800万元`, `1,500元`, `１２００`, or as numbers;
- dates as Excel dates, `2023/3/1`, `2023.3.1`, `2023年3月1日`, `2023-3`, `2023年11月`;
- a blank row inside the data, a 合计 row and a 填表人 row below, a second sheet 说明.

`python -m tests.editorial.office_sheet` writes tests/editorial/data/office_2023.xlsx (the
sample kept in the repository); the tests build their own variants with `office_workbook`.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

TITLE = "XX高新区2023年民生实事项目计划表"
DEPARTMENTS = ["区教育局", "住建局", "区教育局", "区住建局"]  # 住建局: the short name
CATEGORIES = ["教育", "公园绿化"]
# Budgets as written, and their value in 万元.
BUDGETS = [
    ("3,200", Decimal("3200")),
    ("3，200", Decimal("3200")),
    ("5800万元", Decimal("5800")),
    ("1,500元", Decimal("0.15")),
    ("１２００", Decimal("1200")),
    (850, Decimal("850")),
    (1200.5, Decimal("1200.5")),
]
# Start dates as written, and the date meant (a month alone is its first day).
STARTS = [
    (datetime(2023, 2, 1), date(2023, 2, 1)),
    ("2023/3/1", date(2023, 3, 1)),
    ("2023.3.1", date(2023, 3, 1)),
    ("2023年3月1日", date(2023, 3, 1)),
    ("2023-3", date(2023, 3, 1)),
    ("２０２３年４月１０日", date(2023, 4, 10)),
]
# Completion dates (a month alone is its last day).
ENDS = [
    (datetime(2023, 11, 30), date(2023, 11, 30)),
    ("2023年11月", date(2023, 11, 30)),
    ("2023/12/20", date(2023, 12, 20)),
    ("2023.10.31", date(2023, 10, 31)),
]
HEADER_TOP = [
    "序号",
    "项目名称",
    "类别",
    "牵头单位",
    "所在街道",
    "建设地点",
    "计划投资",
    "时间",
    None,
    "建设内容及规模",
    "备注",
]
HEADER_BOTTOM = [None, None, None, None, None, None, "（万元）", "计划开工", "计划完工", None, None]


def office_rows(count=20):
    """The rows of the list, each with what it should import as."""
    rows = []
    for index in range(count):
        number = index + 1
        budget_text, budget = BUDGETS[index % len(BUDGETS)]
        start_text, start = STARTS[index % len(STARTS)]
        end_text, end = ENDS[index % len(ENDS)]
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        rows.append(
            {
                "cells": [
                    number,
                    f"民生实事第{number}项",
                    CATEGORIES[index % 2],
                    department,
                    "大旺街道",
                    f"大旺大道{number}号",
                    budget_text,
                    start_text,
                    end_text,
                    f"第{number}项的建设内容。",
                    "续建项目" if number % 5 == 0 else None,
                ],
                "expected": {
                    "number": number,
                    "title": f"民生实事第{number}项",
                    "category": CATEGORIES[index % 2],
                    "department": "区住建局" if "住建" in department else "区教育局",
                    "budget": budget,
                    "planned_start": start,
                    "planned_completion": end,
                    "summary": f"第{number}项的建设内容。",
                    "note": "续建项目" if number % 5 == 0 else "",
                },
            }
        )
    return rows


def office_workbook(rows=None, *, sheet_title="2023年计划", second_sheet=True):
    """The office's workbook as bytes; `rows` as from `office_rows` (their "cells")."""
    import io

    rows = office_rows() if rows is None else rows
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    width = len(HEADER_TOP)
    sheet.append([TITLE] + [None] * (width - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：区发展和改革局（盖章）          单位：万元"] + [None] * (width - 1))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([])
    sheet.append(HEADER_TOP)
    sheet.append(HEADER_BOTTOM)
    for column in (1, 2, 3, 4, 5, 6, 10, 11):
        sheet.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)
    sheet.merge_cells(start_row=4, start_column=8, end_row=4, end_column=9)
    half = len(rows) // 2
    for position, row in enumerate(rows):
        if position == half:
            sheet.append([])  # a blank row left inside the table
        sheet.append(row["cells"])
    last = sheet.max_row
    sheet.append(["合计", None, None, None, None, None, f"=SUM(G6:G{last})"])
    sheet.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=6)
    sheet.append(["填表人：张三        审核人：李四        制表日期：2023年1月5日"])
    sheet.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=width)
    sheet.append(["备注：投资额以区政府批复为准。"])
    if second_sheet:
        notes = workbook.create_sheet("说明")
        notes.append(["填表说明"])
        notes.append(["1. 项目名称请与区政府批复一致。"])
        notes.append(["2. 计划投资单位为万元。"])
        notes.append(["3. 时间请填写到日，不确定的填写到月。"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


SAMPLE = Path(__file__).parent / "data" / "office_2023.xlsx"

if __name__ == "__main__":
    SAMPLE.parent.mkdir(exist_ok=True)
    SAMPLE.write_bytes(office_workbook())
    print(SAMPLE)
