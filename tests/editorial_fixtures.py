"""Shared set-up for the editorial tests: a year, reference lists, and one user per role."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from portal.setup import ensure_home_page
from projects.editorial.importers import ITEM_COLUMNS, PROGRESS_COLUMNS
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProjectIndexPageFactory,
)
from tests.conftest import make_user


def build_editorial_world(cls, *, year=2023, status_date=None):
    """Set class attributes: home, year_page, reference lists, editor_a/editor_b/reviewer/admin."""
    cls.home = ensure_home_page()
    cls.year_page = ProjectIndexPageFactory(
        parent=cls.home, year=year, title=f"{year}年民生实事", status_date=status_date
    )
    cls.education = CategoryFactory(slug="education", name="教育", name_en="Education")
    cls.parks = CategoryFactory(slug="parks", name="公园绿化", name_en="Parks")
    cls.dept_a = DepartmentFactory(slug="education-bureau", name="区教育局", short_name="教育局")
    cls.dept_b = DepartmentFactory(slug="urban-works", name="区住建局", short_name="住建局")
    cls.street = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang")
    # The admin in English, so assertions read the msgids (zh_Hans is the site default).
    cls.editor_a = make_user("editor_a", "Editors", departments=[cls.dept_a], language="en")
    cls.editor_b = make_user("editor_b", "Editors", departments=[cls.dept_b], language="en")
    cls.reviewer = make_user("reviewer", "Reviewers", language="en")
    cls.admin = make_user("admin", superuser=True, language="en")


def item_row(number, title="新建学校", **overrides):
    row = {
        "number": str(number),
        "title": title,
        "category": "教育",
        "department": "区教育局",
        "district": "大旺街道",
        "address": "大旺大道1号",
        "longitude": "112.873211",
        "latitude": "23.293456",
        "budget": "1200.5",
        "planned_start": "2023-02-01",
        "planned_completion": "2023-11-30",
        "summary": "新增学位900个。",
    }
    row.update(overrides)
    return row


def csv_upload(rows, columns=ITEM_COLUMNS, *, chinese=True, name="items.csv", encoding="utf-8"):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([chinese_name if chinese else field for field, chinese_name in columns])
    for row in rows:
        writer.writerow([row.get(field, "") for field, _chinese in columns])
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, columns=ITEM_COLUMNS, *, name="items.xlsx", native=False):
    """An XLSX file; with `native`, numbers and dates are stored as Excel numbers and dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([chinese for _field, chinese in columns])
    for row in rows:
        cells = []
        for field, _chinese in columns:
            value = row.get(field, "")
            if native and field in {"number", "progress"} and value.isdigit():
                value = int(value)
            elif native and field in {"planned_start", "planned_completion", "date"} and value:
                value = date.fromisoformat(value)
            cells.append(value)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def progress_row(number, progress, day="2023-06-28", **overrides):
    row = {"number": str(number), "date": day, "progress": str(progress), "text": "主体施工中。"}
    row.update(overrides)
    return row


def progress_upload(rows, **kwargs):
    return csv_upload(rows, PROGRESS_COLUMNS, name="progress.csv", **kwargs)
