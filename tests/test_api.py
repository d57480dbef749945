"""The open data API (projects.api): every public field of a known item with its value, nothing
unpublished or private anywhere, the year list's filters, sorts and pages, JSON errors for bad
parameters, answers that match the OpenAPI document, a per-client rate limit, constant queries
and the page cache with its purge."""

import json
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from jsonschema.exceptions import ValidationError as JsonSchemaValidationError
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.feedback import moderation
from projects.follow.subscription import Target, subscribe
from projects.follow.subscription import confirm as confirm_follow
from projects.models import UpdatePhoto
from tests.feedback_support import make_feedback

CONTACT = "13812345678"
FOLLOWER = "follower.li@example.cn"
HIDDEN_NAME = "李先生"
NOTE = "内部备注：疑似重复"


def schema_for(doc, path, status="200"):
    """The schema of `path`'s answer in the OpenAPI document, with the document's components
    so that its references resolve."""
    responses = doc["paths"][path]["get"]["responses"][status]["content"]
    (content,) = responses.values()
    return {**content["schema"], "components": doc["components"]}


class ApiData:
    """2022 (published) with a fully described park item (tags, cover, place, revised budget
    and date, a delay reason), a school, an unpublished item whose update is still live; a
    published update with a photo and a newer draft, a draft update; feedback in every state;
    an unpublished year 2021 with an item."""

    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        cls.parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks")
        cls.schools = CategoryFactory(slug="education", name="教育", name_en="Education")
        cls.dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang Street")
        cls.south = DistrictFactory(slug="south", name="城南片区", name_en="South")
        cls.works = DepartmentFactory(slug="works", name="区建设局", name_en="Works Bureau")
        cls.cover = ImageFactory(title="将军山公园航拍")
        cls.park = ProjectPageFactory(
            parent=cls.year,
            number=11,
            title="将军山体育公园建设",
            title_en="Jiangjunshan Sports Park",
            summary="新建球场、园路和照明。",
            category=cls.parks,
            district=cls.dawang,
            department=cls.works,
            address="大旺大道18号",
            latitude=Decimal("23.324257"),
            longitude=Decimal("112.869018"),
            budget=Decimal("1250.50"),
            revised_budget=Decimal("1300.00"),
            planned_start=date(2022, 2, 1),
            planned_completion=date(2022, 9, 30),
            revised_completion=date(2022, 12, 31),
            delay_reason="汛期强降雨影响施工。",
            cover_image=cls.cover,
        )
        cls.park.tags.add("体育", "公园")
        cls.park.save()
        cls.school = ProjectPageFactory(
            parent=cls.year,
            number=1,
            title="育才学校新建工程",
            category=cls.schools,
            district=cls.south,
            budget=Decimal("5000.00"),
        )
        cls.march = ProgressUpdatePageFactory(
            parent=cls.park, date=date(2022, 3, 1), progress=20, text="<p>园路基层施工。</p>"
        )
        cls.june = ProgressUpdatePageFactory(
            parent=cls.park,
            date=date(2022, 6, 20),
            progress=60,
            invested=Decimal("300.25"),
            text="<p>球场铺装 &amp; 照明安装。</p>",
        )
        cls.photo_image = ImageFactory(title="球场铺装")
        UpdatePhoto.objects.create(page=cls.june, image=cls.photo_image, caption="东侧球场")
        ProgressUpdatePageFactory(
            parent=cls.park,
            date=date(2022, 7, 1),
            progress=90,
            text="<p>未发布的进展</p>",
            publish=False,
        )
        # Newer drafts of published pages stay drafts.
        cls.june.text = "<p>草稿：尚未审核的内容。</p>"
        cls.june.save_revision()
        cls.park.refresh_from_db()
        cls.park.title = "草稿标题"
        cls.park.save_revision()
        cls.park.refresh_from_db()

        cls.hidden = ProjectPageFactory(
            parent=cls.year, number=3, title="撤回的项目", category=cls.parks, district=cls.dawang
        )
        cls.hidden_update = ProgressUpdatePageFactory(
            parent=cls.hidden, date=date(2022, 6, 30), text="<p>撤回项目的进展</p>"
        )

        older = ProjectIndexPageFactory(parent=home, year=2021)
        cls.old_item = ProjectPageFactory(parent=older, number=5, title="去年草稿年度的项目")
        older.unpublish()

        cls.moderator = get_user_model().objects.create_superuser("mod", "mod@example.com", "x")
        cls.answered = make_feedback(
            cls.park, message="建议增加座椅。", name="王女士", show_name=True, contact=CONTACT
        )
        moderation.approve(cls.answered, cls.moderator)
        moderation.reply(cls.answered, cls.moderator, "已列入二期计划。", department=cls.works)
        cls.anonymous = make_feedback(
            cls.park, message="夜间照明不足。", name=HIDDEN_NAME, show_name=False, contact=CONTACT
        )
        moderation.approve(cls.anonymous, cls.moderator)
        make_feedback(cls.park, message="未审核的留言", contact=CONTACT)
        rejected = make_feedback(cls.park, message="被拒绝的留言", contact=CONTACT)
        moderation.reject(rejected, cls.moderator, reason=NOTE)
        hidden_feedback = make_feedback(cls.hidden, message="撤回项目的留言", contact=CONTACT)
        moderation.approve(hidden_feedback, cls.moderator)
        cls.tracking_codes = [
            code for code in type(cls.answered).objects.values_list("tracking_code", flat=True)
        ]
        cls.hidden.unpublish()  # Wagtail leaves its update live
        cls.park.refresh_from_db()
        # Residents who follow by e-mail: their addresses and link tokens are never data.
        cls.follow_tokens = []
        for kind, target in (("item", cls.park), ("district", cls.dawang)):
            pending = subscribe(FOLLOWER, "zh-hans", Target(kind, target, ""))
            cls.follow_tokens += [pending.token, pending.subscriber.token]
            confirm_follow(pending.token)


class ApiTestCase(ApiData, TestCase):
    def setUp(self):
        cache.clear()
        caches["fragments"].clear()

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, (url, response.content[:300]))
        return response

    def json(self, url, status=200):
        return self.get(url, status).json()


class ItemFieldsTests(ApiTestCase):
    def test_the_item_has_every_public_field_with_its_published_value(self):
        item = self.json(f"/api/items/{self.park.pk}/")
        park = self.park
        self.assertEqual(
            item,
            {
                "id": park.pk,
                "year": 2022,
                "number": 11,
                "title": "将军山体育公园建设",  # not the draft's title
                "title_en": "Jiangjunshan Sports Park",
                "summary": "新建球场、园路和照明。",
                "category": {"slug": "parks", "name": "公园绿道", "name_en": "Parks"},
                "department": {"slug": "works", "name": "区建设局", "name_en": "Works Bureau"},
                "district": {"slug": "dawang", "name": "大旺街道", "name_en": "Dawang Street"},
                "address": "大旺大道18号",
                "latitude": 23.324257,
                "longitude": 112.869018,
                "budget": "1250.50",
                "revised_budget": "1300.00",
                "invested": "300.25",
                "planned_start": "2022-02-01",
                "planned_completion": "2022-09-30",
                "revised_completion": "2022-12-31",
                "delay_reason": "汛期强降雨影响施工。",
                "suspended": False,
                "progress": 60,
                "expected_progress": park.expected_progress,
                "lag": park.expected_progress - 60,
                "status": park.status,
                "status_label": str(park.get_status_display()),
                "colour": park.colour,
                "colour_label": str(park.get_colour_display()),
                "last_update_date": "2022-06-20",
                "cover_photo": item["cover_photo"],
                "tags": sorted(["体育", "公园"]),
                "url": "http://testserver/2022/11/",
            },
        )
        self.assertGreater(park.expected_progress, 0)
        cover = item["cover_photo"]
        self.assertEqual(cover["alt"], "将军山公园航拍")
        for key, size in (("card_url", "fill-720x540"), ("large_url", "fill-1280x720")):
            self.assertTrue(cover[key].startswith("http://testserver/"), cover[key])
            self.assertIn(size, cover[key])
            rendition = self.cover.renditions.get(filter_spec=f"{size}|format-jpeg")
            self.assertTrue(cover[key].endswith(rendition.url), (cover[key], rendition.url))

    def test_the_list_carries_the_same_item(self):
        listed = self.json("/api/items/?year=2022&number=11")["items"]
        self.assertEqual(listed, [self.json(f"/api/items/{self.park.pk}/")])

    def test_updates_are_the_published_ones_newest_first_with_photo_urls(self):
        updates = self.json(f"/api/items/{self.park.pk}/updates/")
        self.assertEqual([u["date"] for u in updates], ["2022-06-20", "2022-03-01"])
        june = updates[0]
        self.assertEqual(june["id"], self.june.pk)
        self.assertEqual(june["progress"], 60)
        self.assertEqual(june["invested"], "300.25")
        self.assertEqual(june["text"], "球场铺装 & 照明安装。")  # not the newer draft
        self.assertEqual(june["url"], f"http://testserver{self.june.url}")
        (photo,) = june["photos"]
        self.assertEqual(photo["caption"], "东侧球场")
        self.assertIn("fill-1200x900", photo["url"])
        self.assertIn("fill-400x300", photo["thumbnail_url"])
        self.assertIsNone(updates[1]["invested"])

    def test_feedback_is_the_published_messages_with_the_official_reply(self):
        messages = self.json(f"/api/items/{self.park.pk}/feedback/")
        self.assertEqual([m["message"] for m in messages], ["夜间照明不足。", "建议增加座椅。"])
        anonymous, answered = messages
        self.assertIsNone(anonymous["name"])  # chose not to show it
        self.assertIsNone(anonymous["reply"])
        self.assertEqual(answered["name"], "王女士")
        self.assertEqual(answered["kind"], "suggestion")
        self.assertEqual(answered["reply"]["text"], "已列入二期计划。")
        self.assertEqual(answered["reply"]["department"]["name"], "区建设局")
        self.assertIsNotNone(answered["reply"]["replied_at"])

    def test_a_year_has_the_overview_figures(self):
        (year,) = self.json("/api/years/")
        self.assertEqual(year, self.json("/api/years/2022/"))
        self.assertEqual(year["count"], 2)  # the park and the school
        self.assertEqual(year["budget"], "6250.50")
        self.assertEqual(year["invested"], "300.25")
        self.assertEqual(year["average_progress"], 30)
        self.assertEqual(sum(year["by_status"].values()), 2)
        self.assertEqual(
            {row["slug"]: row["count"] for row in year["by_category"]},
            {"parks": 1, "education": 1},
        )
        self.assertEqual(year["data_date"], "2022-07-01")
        self.assertEqual(year["csv_url"], "http://testserver/2022/download.csv")
        self.assertEqual(year["items_url"], "http://testserver/api/items/?year=2022")
        self.assertEqual(self.json("/api/items/?year=2022")["count"], year["count"])


class NothingUnpublishedOrPrivateTests(ApiTestCase):
    def every_answer(self):
        urls = ["/api/years/", "/api/years/2022/", "/api/items/?limit=100"]
        for item in self.json("/api/items/?limit=100")["items"]:
            for tail in ("", "updates/", "feedback/"):
                urls.append(f"/api/items/{item['id']}/{tail}")
        return {url: self.get(url).content.decode() for url in urls}

    def test_unpublished_items_years_and_their_children_are_absent_everywhere(self):
        answers = self.every_answer()
        text = "\n".join(answers.values())
        for absent in ("撤回的项目", "撤回项目的进展", "撤回项目的留言", "去年草稿年度的项目"):
            self.assertNotIn(absent, text)
        for absent in ("未发布的进展", "草稿", "未审核的留言", "被拒绝的留言"):
            self.assertNotIn(absent, text)
        ids = {item["id"] for item in self.json("/api/items/?limit=100")["items"]}
        self.assertEqual(ids, {self.park.pk, self.school.pk})
        for page in (self.hidden, self.old_item):
            for tail in ("", "updates/", "feedback/"):
                self.json(f"/api/items/{page.pk}/{tail}", status=404)
        self.json("/api/years/2021/", status=404)
        self.assertEqual(self.json("/api/items/?year=2021")["count"], 0)

    def test_no_contact_tracking_code_moderation_note_or_hidden_name_in_any_answer(self):
        text = "\n".join(self.every_answer().values())
        for secret in [CONTACT, HIDDEN_NAME, NOTE, FOLLOWER, *self.tracking_codes]:
            self.assertNotIn(secret, text)
        download = self.get("/2022/download.csv").content.decode("utf-8-sig")
        for secret in [FOLLOWER, *self.follow_tokens]:
            self.assertNotIn(secret, text)
            self.assertNotIn(secret, download)
        keys = set()

        def collect(value):
            if isinstance(value, dict):
                keys.update(value)
                for inner in value.values():
                    collect(inner)
            elif isinstance(value, list):
                for inner in value:
                    collect(inner)

        for body in self.every_answer().values():
            collect(json.loads(body))
        forbidden = {"contact", "tracking_code", "moderation_reason", "show_name", "status_note"}
        self.assertFalse(keys & forbidden)


class FilterSortPageTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for number in range(20, 26):
            ProjectPageFactory(
                parent=cls.year, number=number, category=cls.schools, district=cls.south
            )

    def numbers(self, query):
        return [item["number"] for item in self.json(f"/api/items/?{query}")["items"]]

    def test_filters_like_the_year_list(self):
        self.assertEqual(self.numbers("category=parks"), [11])
        self.assertEqual(self.numbers("district=south&limit=3"), [1, 20, 21])
        self.assertEqual(self.numbers("department=works"), [11])
        self.assertEqual(self.numbers(f"status={self.park.status}&category=parks"), [11])
        self.assertEqual(self.numbers(f"colour={self.park.colour}&category=parks"), [11])
        self.assertEqual(self.numbers("tag=体育"), [11])
        self.assertEqual(self.numbers("q=将军山"), [11])
        self.assertEqual(self.numbers("year=2022&number=1"), [1])
        self.assertEqual(self.numbers("category=no-such-category"), [])  # as on the year list
        self.assertEqual(self.numbers("year=2030"), [])

    def test_sorts_like_the_year_list(self):
        self.assertEqual(self.numbers("limit=3"), [1, 11, 20])
        self.assertEqual(self.numbers("sort=progress&limit=1"), [11])
        self.assertEqual(self.numbers("sort=updated&limit=1"), [11])
        self.assertEqual(self.numbers("sort=number&limit=2&offset=1"), [11, 20])

    def test_pages_link_to_each_other_and_cover_every_item_once(self):
        first = self.json("/api/items/?limit=3")
        self.assertEqual(first["count"], 8)
        self.assertIsNone(first["previous"])
        seen, page = [], first
        while True:
            seen += [item["number"] for item in page["items"]]
            if not page["next"]:
                break
            page = self.json(page["next"].removeprefix("http://testserver"))
        self.assertEqual(seen, [1, 11, 20, 21, 22, 23, 24, 25])
        self.assertEqual(page["previous"], "http://testserver/api/items/?limit=3&offset=3")
        self.assertEqual(self.json("/api/items/?offset=500")["items"], [])

    def test_bad_parameters_are_a_json_422_naming_the_parameter(self):
        for query, name in (
            ("status=bogus", "status"),
            ("colour=purple", "colour"),
            ("sort=price", "sort"),
            ("limit=0", "limit"),
            ("limit=1000", "limit"),
            ("offset=-1", "offset"),
            ("year=abc", "year"),
            ("district=a b", "district"),
            (f"q={'长' * 101}", "q"),
        ):
            response = self.client.get(f"/api/items/?{query}")
            self.assertEqual(response.status_code, 422, query)
            self.assertEqual(response["Content-Type"], "application/problem+json")
            body = response.json()
            self.assertIn(name, [error["loc"][-1] for error in body["errors"]], query)
            self.assertTrue(all(error["msg"] for error in body["errors"]))

    def test_unknown_ids_and_addresses_are_a_json_404(self):
        for url, status in (
            ("/api/items/999999/", 404),
            ("/api/items/abc/", 422),
            ("/api/items/99999999999999999999/", 422),
            ("/api/years/2030/", 404),
            ("/api/no-such-thing/", 404),
            ("/api/items/?tag=%00", 400),  # refused by portal.middleware, still in JSON
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, status, url)
            self.assertEqual(response["Content-Type"], "application/problem+json", url)
            self.assertTrue(response.json()["detail"])


class OpenApiTests(ApiTestCase):
    def test_the_document_is_valid_and_states_the_money_unit(self):
        doc = self.json("/api/openapi.json")
        validate_spec(doc)
        for name in ("budget", "revised_budget", "invested"):
            field = doc["components"]["schemas"]["Item"]["properties"][name]
            self.assertIn("万元", field["description"])
            self.assertEqual(field["x-unit"], "万元 (10,000 CNY)")
        self.assertEqual(
            sorted(doc["paths"]),
            [
                "/api/items/",
                "/api/items/{item_id}/",
                "/api/items/{item_id}/feedback/",
                "/api/items/{item_id}/updates/",
                "/api/years/",
                "/api/years/{year}/",
            ],
        )

    def test_every_answer_matches_its_schema(self):
        doc = self.json("/api/openapi.json")
        checks = {
            "/api/years/": "/api/years/",
            "/api/years/2022/": "/api/years/{year}/",
            "/api/items/?limit=100": "/api/items/",
            f"/api/items/{self.park.pk}/": "/api/items/{item_id}/",
            f"/api/items/{self.park.pk}/updates/": "/api/items/{item_id}/updates/",
            f"/api/items/{self.park.pk}/feedback/": "/api/items/{item_id}/feedback/",
        }
        for url, path in checks.items():
            OAS31Validator(schema_for(doc, path)).validate(self.json(url))
        error = self.client.get("/api/items/?limit=0")
        OAS31Validator(schema_for(doc, "/api/items/", "422")).validate(error.json())
        # A money string that is not one fails the schema (the check can fail).
        item = self.json(f"/api/items/{self.park.pk}/")
        with self.assertRaises(JsonSchemaValidationError):
            OAS31Validator(schema_for(doc, "/api/items/{item_id}/")).validate(
                {**item, "budget": "1250.5万元"}
            )

    def test_the_docs_page_uses_local_files_only(self):
        response = self.get("/api/docs/")
        html = response.content.decode()
        # An introduction in the reader's language above the reference, which is in English.
        self.assertIn('<html lang="zh-hans">', html)
        self.assertIn("<h1>开放数据接口</h1>", html)
        self.assertIn('<main lang="en">', html)
        self.client.cookies["django_language"] = "en"
        english = self.get("/api/docs/").content.decode()
        self.assertIn('<html lang="en">', english)
        self.assertIn("<h1>Open data API</h1>", english)
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertNotIn("cdn.", html)
        self.assertNotIn("//unpkg", html)
        self.assertEqual(self.client.get("/api/").status_code, 302)


@override_settings(API_RATE_LIMIT=3)
class RateLimitTests(ApiTestCase):
    def test_a_client_over_the_limit_is_told_to_wait_and_others_are_not(self):
        for _ in range(3):
            self.get("/api/years/")
        response = self.client.get("/api/years/")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertGreater(int(response["Retry-After"]), 0)
        self.get("/api/years/", status=429)
        other = self.client.get("/api/years/", REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.status_code, 200)


class QueryCountTests(ApiData, TestCase):
    def queries_for_list(self):
        cache.clear()
        self.client.get("/api/items/?limit=100")  # renditions made once, as on the site
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/api/items/?limit=100")
        self.assertEqual(response.status_code, 200)
        return len(queries), response.json()["count"]

    def add_items(self, count):
        start = 30 + self.year.get_children().count()
        for number in range(start, start + count):
            item = ProjectPageFactory(
                parent=self.year, number=number, cover_image=ImageFactory(), category=self.parks
            )
            item.tags.add(f"标签{number}")
            item.save()

    def test_the_list_costs_the_same_queries_for_5_and_20_items(self):
        self.add_items(3)
        few, few_count = self.queries_for_list()
        self.add_items(15)
        many, many_count = self.queries_for_list()
        self.assertEqual((few_count, many_count), (5, 20))
        self.assertEqual(few, many)
        self.assertLessEqual(few, 12)


@override_settings(PAGE_CACHE_SECONDS=600, FRAGMENT_CACHE_SECONDS=600)
class PageCacheTests(ApiTestCase):
    def test_answers_are_cached_and_a_published_update_or_moderation_purges_them(self):
        urls = [
            "/api/years/",
            "/api/items/?category=parks",
            f"/api/items/{self.park.pk}/",
            f"/api/items/{self.park.pk}/updates/",
        ]
        for url in urls:
            self.assertEqual(self.get(url)["X-Page-Cache"], "miss", url)
            self.assertEqual(self.get(url)["X-Page-Cache"], "hit", url)
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 7, 1), progress=80)
        for url in urls:
            response = self.get(url)
            self.assertEqual(response["X-Page-Cache"], "miss", url)
        self.assertEqual(self.json(f"/api/items/{self.park.pk}/")["progress"], 80)

        feedback_url = f"/api/items/{self.park.pk}/feedback/"
        before = self.json(feedback_url)
        message = make_feedback(self.park, message="新的留言", contact=CONTACT)
        self.assertEqual(self.json(feedback_url), before)  # pending: nothing changed
        moderation.approve(message, self.moderator)
        self.assertEqual(self.json(feedback_url)[0]["message"], "新的留言")
