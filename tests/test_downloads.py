"""A year's published items as CSV and Excel (projects.api.downloads): Chinese headers, a BOM so
Excel reads the CSV as Chinese, exactly the published items with the figures the API and the
item pages show, and the links on the year list and the overview."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.test import TestCase, override_settings
from openpyxl import load_workbook

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)


class DownloadData:
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        parks = CategoryFactory(slug="parks", name="公园绿道")
        dawang = DistrictFactory(slug="dawang", name="大旺街道")
        cls.park = ProjectPageFactory(
            parent=cls.year,
            number=11,
            title="将军山体育公园建设",
            category=parks,
            district=dawang,
            budget=Decimal("1250.50"),
            address="大旺大道18号",
        )
        ProgressUpdatePageFactory(
            parent=cls.park, date=date(2022, 6, 20), progress=60, invested=Decimal("300.25")
        )
        cls.school = ProjectPageFactory(parent=cls.year, number=2, title="育才学校新建工程")
        cls.hidden = ProjectPageFactory(parent=cls.year, number=3, title="撤回的项目")
        cls.hidden.unpublish()
        cls.draft = ProjectPageFactory(parent=cls.year, number=4, title="草稿项目", publish=False)
        cls.park.refresh_from_db()


class DownloadTests(DownloadData, TestCase):
    def setUp(self):
        cache.clear()

    def csv_rows(self):
        response = self.client.get("/2022/download.csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="', response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))  # UTF-8 BOM
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def xlsx_rows(self):
        response = self.client.get("/2022/download.xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_the_csv_has_chinese_headers_and_exactly_the_published_items(self):
        header, *rows = self.csv_rows()
        self.assertEqual(header[:4], ["年度", "项目编号", "项目名称", "英文名称"])
        self.assertIn("计划投资（万元）", header)
        self.assertEqual(
            [row[header.index("项目名称")] for row in rows],
            ["育才学校新建工程", "将军山体育公园建设"],
        )
        park = dict(zip(header, rows[1], strict=True))
        self.assertEqual(park["项目编号"], "11")
        self.assertEqual(park["类别"], "公园绿道")
        self.assertEqual(park["片区/街道"], "大旺街道")
        self.assertEqual(park["地址"], "大旺大道18号")
        self.assertEqual(park["计划投资（万元）"], "1250.50")
        self.assertEqual(park["累计完成投资（万元）"], "300.25")
        self.assertEqual(park["形象进度（%）"], "60")
        self.assertEqual(park["状态"], str(self.park.get_status_display()))
        self.assertEqual(park["最近更新"], "2022-06-20")
        self.assertEqual(park["项目页面"], "http://testserver/2022/11/")

    def test_the_figures_are_those_of_the_api_and_the_item_page(self):
        header, *rows = self.csv_rows()
        park = dict(zip(header, rows[1], strict=True))
        item = self.client.get(f"/api/items/{self.park.pk}/").json()
        self.assertEqual(park["计划投资（万元）"], item["budget"])
        self.assertEqual(park["序时进度（%）"], str(item["expected_progress"]))
        self.assertEqual(park["滞后（百分点）"], str(item["lag"]))
        page = self.client.get("/2022/11/").content.decode()
        self.assertIn("将军山体育公园建设", page)
        self.assertIn("60%", page)

    def test_the_workbook_has_the_same_rows(self):
        csv_header, *csv_rows = self.csv_rows()
        header, *rows = self.xlsx_rows()
        self.assertEqual(header, csv_header)
        self.assertEqual(len(rows), len(csv_rows))
        park = dict(zip(header, rows[1], strict=True))
        self.assertEqual(park["项目名称"], "将军山体育公园建设")
        self.assertEqual(park["计划投资（万元）"], 1250.5)  # a number a spreadsheet adds up
        self.assertEqual(park["计划完成日期"].date(), self.park.planned_completion)
        self.assertNotIn("撤回的项目", str(rows))

    def test_unpublished_items_are_in_neither_file(self):
        text = "\n".join(map(str, self.csv_rows() + self.xlsx_rows()))
        for title in ("撤回的项目", "草稿项目"):
            self.assertNotIn(title, text)

    def test_an_unknown_or_unpublished_year_is_not_found(self):
        self.assertEqual(self.client.get("/2031/download.csv").status_code, 404)
        self.year.unpublish()
        self.assertEqual(self.client.get("/2022/download.xlsx").status_code, 404)

    def test_the_year_list_and_the_overview_link_to_both_files(self):
        for url in ("/2022/", "/"):
            html = self.client.get(url).content.decode()
            self.assertIn("下载数据", html, url)
            self.assertIn('href="/2022/download.csv"', html, url)
            self.assertIn('href="/2022/download.xlsx"', html, url)

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_files_are_cached_and_a_published_update_refreshes_them(self):
        self.assertEqual(self.client.get("/2022/download.csv")["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get("/2022/download.csv")["X-Page-Cache"], "hit")
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 7, 1), progress=85)
        header, *rows = self.csv_rows()
        self.assertEqual(dict(zip(header, rows[1], strict=True))["形象进度（%）"], "85")
