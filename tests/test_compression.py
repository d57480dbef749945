"""Pages leave the server compressed, so a phone on a slow link waits for ~12 KB, not ~180 KB."""

import gzip
import re
from datetime import date

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.test import TestCase

from portal.middleware import TextGZipMiddleware
from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory


def unmasked(html):
    return re.sub(rb'(csrfmiddlewaretoken" value=")[^"]+', rb"\1", html)


class CompressedPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 10, 31))
        for number in range(1, 13):
            ProjectPageFactory(parent=year, number=number, title=f"第{number}项 老旧小区改造")

    def setUp(self):
        cache.clear()  # Wagtail's site root paths from earlier tests

    def test_a_browser_that_accepts_gzip_gets_the_year_list_compressed(self):
        plain = self.client.get("/2022/")
        packed = self.client.get("/2022/", headers={"accept-encoding": "gzip, deflate, br"})
        self.assertEqual(packed.status_code, 200)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        # The same page, but for the CSRF token each response masks afresh.
        self.assertEqual(unmasked(gzip.decompress(packed.content)), unmasked(plain.content))
        self.assertLess(len(packed.content), len(plain.content) / 3)

    def test_a_client_that_does_not_accept_gzip_gets_plain_html(self):
        response = self.client.get("/2022/1/")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.has_header("Content-Encoding"))
        self.assertIn("老旧小区改造", response.content.decode())

    def test_a_photo_or_document_is_not_gzipped_again(self):
        request = HttpRequest()
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip"
        pdf = HttpResponse(b"%PDF-1.7 " * 200, content_type="application/pdf")
        photo = FileResponse(iter([b"\xff\xd8" * 500]), content_type="image/jpeg")
        for response in (pdf, photo):
            out = TextGZipMiddleware(lambda _request, r=response: r)(request)
            self.assertFalse(out.has_header("Content-Encoding"), response["Content-Type"])
