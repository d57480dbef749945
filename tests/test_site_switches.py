"""The two switches in every page's header, and the language a first visit gets.

关怀版 (large text) posts to /care-mode/ with the page to go back to: only a page of this site,
never another host (an open redirect would let a link on our domain send residents anywhere).
The site speaks Chinese to everyone until asked otherwise: the browser's Accept-Language is
ignored, and only the language switch's cookie changes it.
"""

from datetime import date

from django.test import TestCase

from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory


class SiteTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        year = ProjectIndexPageFactory(
            parent=ensure_home_page(), year=2022, status_date=date(2022, 7, 1)
        )
        cls.item = ProjectPageFactory(
            parent=year, number=37, title="将军山体育公园建设", title_en="Jiangjunshan Sports Park"
        )


class CareModeTests(SiteTestCase):
    def switch(self, care, next_url, **headers):
        return self.client.post("/care-mode/", {"care": care, "next": next_url}, **headers)

    def test_switching_on_returns_to_the_page_with_large_text(self):
        response = self.switch("on", "/2022/37/")
        self.assertRedirects(response, "/2022/37/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["care_mode"].value, "1")
        self.assertTrue(response.cookies["care_mode"]["httponly"])
        page = self.client.get("/2022/37/")
        self.assertContains(page, '<html lang="zh-hans" class="care-mode">')
        self.assertContains(page, 'aria-pressed="true"')

    def test_the_cookie_is_https_only_whenever_the_sites_cookies_are(self):
        # wapiti's cookieflags found it plain on a plain-HTTP request with SECURE_COOKIES=true
        # (as behind a proxy that does not say the visitor came over HTTPS).
        self.assertFalse(self.switch("on", "/").cookies["care_mode"]["secure"])
        with self.settings(SESSION_COOKIE_SECURE=True):
            self.assertTrue(self.switch("on", "/").cookies["care_mode"]["secure"])
        self.assertTrue(self.switch("on", "/", secure=True).cookies["care_mode"]["secure"])

    def test_switching_off_forgets_it(self):
        self.switch("on", "/")
        response = self.switch("off", "/2022/")
        self.assertRedirects(response, "/2022/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["care_mode"].value, "")  # deleted
        self.assertNotContains(self.client.get("/2022/"), 'class="care-mode"')

    def test_next_may_only_be_a_page_of_this_site(self):
        for hostile in (
            "https://evil.example/phish",
            "//evil.example/phish",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "http://testserver.evil.example/",
            " https://evil.example/",
        ):
            with self.subTest(hostile):
                response = self.switch("on", hostile)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], "/")
                self.assertEqual(response.cookies["care_mode"].value, "1")  # still switched

    def test_a_page_of_this_site_keeps_its_query(self):
        response = self.switch("on", "/2022/?category=parks&sort=progress")
        self.assertEqual(response["Location"], "/2022/?category=parks&sort=progress")
        same_host = self.switch("on", "http://testserver/map/?year=2022")
        self.assertEqual(same_host["Location"], "http://testserver/map/?year=2022")

    def test_only_a_post_switches(self):
        self.assertEqual(self.client.get("/care-mode/?care=on&next=/").status_code, 405)


class LanguageTests(SiteTestCase):
    def test_an_english_browser_still_gets_chinese(self):
        for accept in ("en-US,en;q=0.9", "en", "fr-FR,en;q=0.5", "zh-TW,en;q=0.8"):
            with self.subTest(accept):
                page = self.client.get("/2022/37/", HTTP_ACCEPT_LANGUAGE=accept)
                self.assertContains(page, '<html lang="zh-hans"')
                self.assertEqual(page["Content-Language"], "zh-hans")
                self.assertContains(page, "将军山体育公园建设")
                self.assertNotContains(page, "Jiangjunshan Sports Park")

    def test_the_switch_changes_the_language_and_accept_language_does_not_undo_it(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/2022/37/"})
        self.assertRedirects(response, "/2022/37/", fetch_redirect_response=False)
        page = self.client.get("/2022/37/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
        self.assertContains(page, '<html lang="en"')
        self.assertEqual(page["Content-Language"], "en")
        self.assertContains(page, "Jiangjunshan Sports Park")

    def test_pages_vary_on_the_cookie_not_on_accept_language(self):
        page = self.client.get("/2022/", HTTP_ACCEPT_LANGUAGE="en")
        vary = {part.strip().lower() for part in page["Vary"].split(",")}
        self.assertIn("cookie", vary)
        self.assertNotIn("accept-language", vary)
