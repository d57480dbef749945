"""The shared page cache (portal.pagecache): what residents get from it, what never comes from
it, and that every change shows on the very next request."""

import re
from datetime import date

from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from portal.models import SiteFooter
from portal.setup import ensure_home_page
from projects.choices import FeedbackStatus, Status
from projects.factories import (
    CategoryFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import Feedback, ProjectPage

from .conftest import make_user
from .feedback_support import make_feedback, post_data


@override_settings(PAGE_CACHE_SECONDS=600, FRAGMENT_CACHE_SECONDS=600)  # as in production
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=cls.home, year=2022, status_date=date(2022, 7, 1))
        cls.item = ProjectPageFactory(
            parent=cls.year,
            number=37,
            title="将军山体育公园建设",
            planned_start=date(2022, 1, 1),
            planned_completion=date(2022, 12, 28),
        )
        cls.other = ProjectPageFactory(parent=cls.year, number=38, title="城南学校扩建")

    def setUp(self):
        cache.clear()
        caches["fragments"].clear()

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        self.assertEqual(response.status_code, 200, url)
        return response

    def text(self, url, **kwargs):
        return self.get(url, **kwargs).content.decode()

    def test_the_second_visit_comes_from_the_cache_without_touching_the_database(self):
        first = self.get("/2022/37/")
        self.assertEqual(first["X-Page-Cache"], "miss")
        with self.assertNumQueries(0):
            second = self.get("/2022/37/")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(second.content, first.content)
        self.assertIn("public", second["Cache-Control"])
        self.assertIn("Cookie", second["Vary"])

    def test_a_browser_revalidates_and_gets_304(self):
        etag = self.get("/2022/")["ETag"]
        response = self.client.get("/2022/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")

    def test_publishing_an_update_shows_on_item_year_list_and_overview_at_once(self):
        for url in ("/2022/37/", "/2022/", "/"):
            self.assertNotIn("83%", self.text(url))
            self.assertEqual(self.get(url)["X-Page-Cache"], "hit")
        ProgressUpdatePageFactory(parent=self.item, progress=83, date=date(2022, 6, 30))
        for url in ("/2022/37/", "/2022/", "/"):
            self.assertIn("83%", self.text(url), url)

    def test_unpublishing_an_item_takes_it_off_the_list_the_map_and_search(self):
        update = ProgressUpdatePageFactory(parent=self.other, progress=20, date=date(2022, 6, 1))
        update_url = f"/2022/38/{update.slug}/"
        self.assertIn("城南学校扩建", self.text("/2022/"))
        self.assertIn("城南学校扩建", self.text("/"))  # its update among the latest
        self.assertIn("城南学校扩建", self.text("/search/", data={"q": "学校"}))
        self.get(update_url)
        self.other.unpublish()
        self.assertNotIn("城南学校扩建", self.text("/2022/"))
        self.assertNotIn("城南学校扩建", self.text("/"))
        self.assertNotIn("城南学校扩建", self.text("/search/", data={"q": "学校"}))
        self.assertEqual(self.client.get("/2022/38/").status_code, 404)
        # Wagtail leaves the update live; it is not public while its item is not.
        self.assertEqual(self.client.get(update_url).status_code, 404)

    def test_filtered_lists_are_purged_too(self):
        url = f"/2022/?category={self.item.category.slug}"
        self.assertIn("将军山体育公园建设", self.text(url))
        revision = self.item.save_revision()
        self.item.title = "将军山全民健身公园"
        revision = self.item.save_revision()
        revision.publish()
        self.assertIn("将军山全民健身公园", self.text(url))

    def test_renaming_a_category_shows_everywhere(self):
        category = self.item.category
        self.assertNotIn("文体设施", self.text("/2022/37/"))
        category.name = "文体设施"
        category.save()
        self.assertIn("文体设施", self.text("/2022/37/"))
        self.assertIn("文体设施", self.text("/2022/"))

    def test_a_published_answer_shows_on_the_item_page_at_once(self):
        feedback = make_feedback(self.item, message="东门什么时候开放？")
        self.assertNotIn("东门什么时候开放", self.text("/2022/37/"))
        self.assertEqual(self.get("/2022/37/")["X-Page-Cache"], "hit")
        feedback.status = FeedbackStatus.PUBLISHED
        feedback.reply = "东门将于十月开放。"
        feedback.save()
        page = self.text("/2022/37/")
        self.assertIn("东门什么时候开放", page)
        self.assertIn("东门将于十月开放", page)

    def test_a_new_message_waiting_for_review_does_not_purge(self):
        self.get("/2022/37/")
        make_feedback(self.item)
        self.assertEqual(self.get("/2022/37/")["X-Page-Cache"], "hit")

    def test_the_daily_refresh_purges_the_colours(self):
        self.get("/2022/")
        ProjectPage.objects.filter(pk=self.other.pk).update(title="静默改名的项目")
        self.assertNotIn("静默改名的项目", self.text("/2022/"))  # still the cached copy
        call_command("refresh_schedules", stdout=open("/dev/null", "w"))
        self.assertIn("静默改名的项目", self.text("/2022/"))

    def test_moving_an_update_changes_both_items(self):
        update = ProgressUpdatePageFactory(parent=self.item, progress=64, date=date(2022, 6, 1))
        self.assertIn("64%", self.text("/2022/37/"))
        self.assertNotIn("64%", self.text("/2022/38/"))
        update.move(self.other, pos="last-child")
        self.assertNotIn("64%", self.text("/2022/37/"))
        self.assertIn("64%", self.text("/2022/38/"))

    def test_language_and_large_text_are_separate_copies(self):
        chinese = self.text("/2022/")
        self.client.cookies["django_language"] = "en"
        english = self.text("/2022/")
        self.assertIn('lang="zh-hans"', chinese)
        self.assertIn('lang="en"', english)
        self.client.cookies["care_mode"] = "1"
        self.assertIn('class="care-mode"', self.text("/2022/"))
        del self.client.cookies["care_mode"]
        self.assertNotIn('class="care-mode"', self.text("/2022/"))

    def test_share_link_tags_do_not_make_a_new_copy(self):
        self.get("/2022/")
        tagged = self.get("/2022/", data={"from": "timeline", "isappinstalled": "0"})
        self.assertEqual(tagged["X-Page-Cache"], "hit")
        self.assertEqual(self.get("/2022/", data={"q": "学校"})["X-Page-Cache"], "miss")

    def test_a_signed_in_editor_never_sees_nor_leaves_a_cached_page(self):
        self.get("/2022/")
        ProjectPage.objects.filter(pk=self.other.pk).update(title="静默改名的项目")
        make_user("editor", superuser=True)
        self.client.login(username="editor", password="pw")
        response = self.get("/2022/")
        self.assertIn("静默改名的项目", response.content.decode())
        self.assertNotIn("X-Page-Cache", response)
        self.get("/2022/37/")
        self.client.logout()
        self.client.cookies.clear()
        self.assertEqual(self.get("/2022/37/")["X-Page-Cache"], "miss")

    def test_pages_with_personal_content_are_never_cached(self):
        feedback = make_feedback(self.item)
        for url in (f"/feedback/{feedback.tracking_code}/", "/feedback/track/"):
            self.get(url)
            self.assertNotIn("X-Page-Cache", self.get(url), url)
        response = self.client.post("/care-mode/", {"care": "on", "next": "/2022/"})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("X-Page-Cache", response)

    def test_the_cached_item_page_holds_no_personal_token(self):
        first = self.get("/2022/37/")
        self.assertFalse(first.cookies, "a shared page must not set a cookie")
        page = first.content.decode()
        self.assertIn('name="csrfmiddlewaretoken" value=""', page)
        self.assertIn('name="started" value=""', page)
        self.assertNotRegex(page, r'name="csrfmiddlewaretoken" value="\w+"')

    def test_feedback_sent_from_a_cached_page_is_stored(self):
        page = self.text("/2022/37/")
        self.text("/2022/37/")  # a second visitor, from the cache
        token_url = re.search(r'data-token-url="([^"]+)"', page).group(1)
        action = re.search(r'<form class="fb-form" method="post" action="([^"]+)"', page).group(1)
        csrf_client = self.client_class(enforce_csrf_checks=True)
        tokens = csrf_client.get(token_url).json()
        response = csrf_client.post(action, post_data(message="东门的路灯不亮。", **tokens))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Feedback.objects.filter(message="东门的路灯不亮。").exists())

    def test_without_script_the_message_comes_back_to_send_again(self):
        page = self.text("/2022/37/")
        action = re.search(r'<form class="fb-form" method="post" action="([^"]+)"', page).group(1)
        csrf_client = self.client_class(enforce_csrf_checks=True)
        data = post_data(message="东门的路灯不亮。", started="", csrfmiddlewaretoken="")
        response = csrf_client.post(action, data)
        self.assertEqual(response.status_code, 403)
        again = response.content.decode()
        self.assertIn("东门的路灯不亮。", again)
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', again).group(1)
        started = re.search(r'name="started" value="([^"]+)"', again).group(1)
        data.update(csrfmiddlewaretoken=token, started=started)
        self.assertEqual(csrf_client.post(action, data).status_code, 302)
        self.assertEqual(Feedback.objects.filter(message="东门的路灯不亮。").count(), 1)

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_switched_off_nothing_is_cached(self):
        self.get("/2022/")
        self.assertNotIn("X-Page-Cache", self.get("/2022/"))

    def test_a_scan_of_missing_pages_leaves_nothing_in_the_cache(self):
        for n in range(3):
            self.assertEqual(self.client.get(f"/2022/{900 + n}/").status_code, 404)
        self.assertIsNone(cache.get("pagecache:gen:/2022/900/"))
        self.assertNotIn("X-Page-Cache", self.client.get("/2022/900/"))

    def test_a_browser_without_gzip_gets_its_own_plain_copy(self):
        compressed = self.get("/2022/", HTTP_ACCEPT_ENCODING="gzip, deflate")
        self.assertEqual(compressed["Content-Encoding"], "gzip")
        plain = self.get("/2022/", HTTP_ACCEPT_ENCODING="identity")
        self.assertNotIn("Content-Encoding", plain)
        self.assertIn("将军山体育公园建设", plain.content.decode())
        again = self.get("/2022/", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(again["X-Page-Cache"], "hit")
        self.assertEqual(again["Content-Encoding"], "gzip")

    def test_a_purge_from_a_process_that_does_not_cache_still_counts(self):
        self.assertIn("将军山体育公园建设", self.text("/2022/"))
        with self.settings(PAGE_CACHE_SECONDS=0):  # say, an importer run with other settings
            self.item.title = "将军山全民健身公园"
            self.item.save_revision().publish()
        self.assertIn("将军山全民健身公园", self.text("/2022/"))


@override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=600)
class FragmentCacheTests(TestCase):
    """With the page cache bypassed (a signed-in editor, an evicted or purged page), the
    menu, the footer and the feedback section come from the fragments cache, and each change
    still shows on the very next request."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=cls.home, year=2022, status_date=date(2022, 7, 1))
        cls.item = ProjectPageFactory(
            parent=cls.year,
            number=37,
            title="将军山体育公园建设",
            planned_start=date(2022, 1, 1),
            planned_completion=date(2022, 12, 28),
        )
        cls.update = ProgressUpdatePageFactory(parent=cls.item, progress=40, date=date(2022, 5, 1))

    def setUp(self):
        cache.clear()
        caches["fragments"].clear()

    def text(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_a_rendered_item_page_reuses_its_fragments(self):
        self.text("/2022/37/")
        with CaptureQueriesContext(connection) as warm:
            self.text("/2022/37/")
        tables = " ".join(query["sql"] for query in warm.captured_queries)
        self.assertNotIn("projects_feedback", tables)  # the feedback section
        self.assertNotIn("portal_sitefooter", tables)

    def test_the_updates_come_from_the_fragment_and_follow_each_change_at_once(self):
        self.assertIn("40%", self.text("/2022/37/"))
        with CaptureQueriesContext(connection) as warm:
            self.text("/2022/37/")
        # The updates' photos (and their renditions) are read only when the fragment misses.
        tables = " ".join(query["sql"] for query in warm.captured_queries)
        self.assertNotIn("projects_updatephoto", tables)

        self.update.text = "<p>看台钢结构吊装完成。</p>"
        self.update.save_revision().publish()
        self.assertIn("看台钢结构吊装完成", self.text("/2022/37/"))
        self.update.photos.create(image=ImageFactory(title="看台吊装"), caption="看台吊装现场")
        self.update.save_revision().publish()
        self.assertIn("看台吊装现场", self.text("/2022/37/"))
        later = ProgressUpdatePageFactory(parent=self.item, progress=55, date=date(2022, 6, 1))
        self.assertIn("55%", self.text("/2022/37/"))
        later.unpublish()
        self.assertNotIn("55%", self.text("/2022/37/"))

    def test_a_draft_seen_in_preview_never_reaches_residents(self):
        # An editor previews the item as finished (a draft): the preview is rendered for the
        # item's own URL, but what it shows must not be kept for the published page.
        draft = ProjectPage.objects.get(pk=self.item.pk)
        draft.status, draft.progress = Status.COMPLETED, 100
        self.assertIn('name="rating"', draft.make_preview_request().content.decode())
        self.assertNotIn('name="rating"', self.text("/2022/37/"))

    def test_an_answer_shows_on_the_item_and_its_update_pages_at_once(self):
        feedback = make_feedback(self.item, message="东门什么时候开放？")
        for url in ("/2022/37/", f"/2022/37/{self.update.slug}/"):
            self.assertNotIn("东门什么时候开放", self.text(url))
        feedback.status = FeedbackStatus.PUBLISHED
        feedback.reply = "东门将于十月开放。"
        feedback.save()
        for url in ("/2022/37/", f"/2022/37/{self.update.slug}/"):
            page = self.text(url)
            self.assertIn("东门什么时候开放", page, url)
            self.assertIn("东门将于十月开放", page, url)

    def test_a_finished_item_offers_the_rating_form_at_once(self):
        self.assertNotIn('name="rating"', self.text("/2022/37/"))
        ProgressUpdatePageFactory(parent=self.item, progress=100, date=date(2022, 6, 30))
        self.assertIn('name="rating"', self.text("/2022/37/"))

    def test_a_new_year_joins_the_menu_at_once(self):
        self.assertNotIn("/2023/", self.text("/2022/37/"))
        year = ProjectIndexPageFactory(parent=self.home, year=2023, publish=False)
        year.save_revision().publish()
        self.assertIn('href="/2023/"', self.text("/2022/37/"))

    def test_the_footer_shows_a_change_at_once(self):
        self.assertNotIn("粤ICP备2022000001号", self.text("/2022/"))
        SiteFooter.objects.update_or_create(
            site=Site.objects.get(is_default_site=True),
            defaults={"icp_number": "粤ICP备2022000001号"},
        )
        self.assertIn("粤ICP备2022000001号", self.text("/2022/"))

    def test_switched_off_every_part_is_rendered_each_time(self):
        self.text("/2022/37/")
        with self.settings(FRAGMENT_CACHE_SECONDS=0):
            with CaptureQueriesContext(connection) as queries:
                self.text("/2022/37/")
        self.assertIn("projects_feedback", " ".join(q["sql"] for q in queries.captured_queries))

    def test_a_search_is_ranked_once_and_sees_a_new_item_at_once(self):
        self.assertNotIn("城南学校扩建", self.text("/search/?q=学校"))
        with CaptureQueriesContext(connection) as again:
            self.text("/search/?q=学校&page=2")
        self.assertNotIn("wagtailsearch", " ".join(q["sql"] for q in again.captured_queries))
        ProjectPageFactory(parent=self.year, number=38, title="城南学校扩建")
        self.assertIn("城南学校扩建", self.text("/search/?q=学校"))

    def test_the_year_list_counts_and_data_date_follow_a_new_item_and_update(self):
        other = CategoryFactory(name="教育")
        ProjectPageFactory(parent=self.year, number=40, title="城北小学", category=other)
        first = self.text("/2022/")
        self.assertIn("2022年7月1日", first)  # the year's set date
        self.assertEqual(len(re.findall(r'class="chip__count">2<', first)), 1)  # 全部 2
        ProjectPageFactory(  # no new department or district: those would purge the site
            parent=self.year,
            number=41,
            title="城西小学",
            category=other,
            department=self.item.department,
            district=self.item.district,
        )
        ProgressUpdatePageFactory(parent=self.item, progress=55, date=date(2022, 9, 30))
        page = self.text("/2022/?sort=progress")
        self.assertIn("2022年9月30日", page)
        self.assertEqual(len(re.findall(r'class="chip__count">3<', page)), 1)  # 全部 3
        self.assertEqual(len(re.findall(r'class="chip__count">2<', page)), 1)  # 教育 2

    def test_a_year_list_is_counted_and_sorted_once_and_follows_each_change(self):
        second = ProjectPageFactory(parent=self.year, number=38, title="城东幼儿园", progress=10)
        self.assertLess(
            self.text("/2022/").index("将军山体育公园"), self.text("/2022/").index("城东幼儿园")
        )
        with CaptureQueriesContext(connection) as again:
            self.text("/2022/?page=1")
        listing = [q["sql"] for q in again.captured_queries if "projects_projectpage" in q["sql"]]
        self.assertFalse([sql for sql in listing if "COUNT(" in sql], listing)
        self.assertFalse([sql for sql in listing if "LIMIT" in sql], listing)  # fetched by id

        by_progress = self.text("/2022/?sort=progress")
        self.assertLess(by_progress.index("将军山体育公园"), by_progress.index("城东幼儿园"))
        ProgressUpdatePageFactory(parent=second, progress=90, date=date(2022, 6, 1))
        by_progress = self.text("/2022/?sort=progress")
        self.assertLess(by_progress.index("城东幼儿园"), by_progress.index("将军山体育公园"))

        ProjectPageFactory(parent=self.year, number=39, title="城西社区食堂")
        self.assertIn("城西社区食堂", self.text("/2022/"))
        second.unpublish()
        self.assertNotIn("城东幼儿园", self.text("/2022/"))
        self.assertNotIn("城东幼儿园", self.text("/2022/?sort=progress"))

    def test_an_items_related_items_follow_each_change(self):
        ProjectPageFactory(
            parent=self.year, number=50, title="城北篮球场", category=self.item.category
        )
        page = self.text("/2022/37/")
        self.assertIn("城北篮球场", page)
        with CaptureQueriesContext(connection) as again:
            self.text("/2022/37/")
        self.assertFalse([q for q in again.captured_queries if "same_category" in q["sql"]])
        ProjectPageFactory(
            parent=self.year, number=12, title="城南游泳馆", category=self.item.category
        )
        page = self.text("/2022/37/")
        self.assertLess(page.index("城南游泳馆"), page.index("城北篮球场"))  # by number
        # A related item's card shows its progress as of now.
        basketball = ProjectPage.objects.get(number=50)
        ProgressUpdatePageFactory(parent=basketball, progress=70, date=date(2022, 6, 20))
        page = self.text("/2022/37/")
        card = page[page.index("城北篮球场") :]
        self.assertIn("70%", card[: card.index("</li>")])
        ProjectPage.objects.get(number=50).unpublish()
        self.assertNotIn("城北篮球场", self.text("/2022/37/"))

    def test_the_overview_is_rolled_up_once_and_follows_each_change(self):
        self.text("/")
        with CaptureQueriesContext(connection) as again:
            self.text("/")
        self.assertFalse([q for q in again.captured_queries if "AVG(" in q["sql"]])
        ProgressUpdatePageFactory(
            parent=self.item, progress=65, date=date(2022, 10, 8), text="看台钢结构封顶"
        )
        ProjectPageFactory(parent=self.year, number=60, title="城东长者饭堂")
        page = self.text("/")
        self.assertIn("看台钢结构封顶", page)  # the latest updates
        self.assertIn("2022年10月8日", page)  # the data date
