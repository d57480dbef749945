"""Chinese-aware search: any word of two or more characters finds its item, on either database."""

from datetime import date

from django.test import SimpleTestCase, TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.search import query_text, tokens


class TokenTests(SimpleTestCase):
    def test_chinese_runs_become_overlapping_bigrams(self):
        self.assertEqual(tokens("体育公园"), ["体育", "育公", "公园"])

    def test_latin_words_and_numbers_stay_whole_and_lower_case(self):
        self.assertEqual(tokens("5G Park, No.37"), ["5g", "park", "no", "37"])

    def test_markup_is_ignored(self):
        self.assertEqual(tokens("<p>碧道</p>"), ["碧道"])

    def test_query_terms_are_deduplicated(self):
        self.assertEqual(query_text("公园 公园"), "公园")


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022)
        parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks")
        cls.park = ProjectPageFactory(
            parent=year,
            number=11,
            title="将军山体育公园建设",
            summary="建设环山步道和笼式足球场。",
            address="肇庆高新区大旺街道迎宾大道8号",
            category=parks,
        )
        cls.school = ProjectPageFactory(
            parent=year,
            number=1,
            title="育才学校新建工程",
            summary="新建九年一贯制学校，配套体育公园式运动场。",
        )
        cls.road = ProjectPageFactory(parent=year, number=15, title="大旺大道升级改造")
        ProgressUpdatePageFactory(
            parent=cls.road, date=date(2022, 5, 1), text="<p>沥青面层摊铺完成。</p>"
        )
        previous = ProjectIndexPageFactory(parent=home, year=2021)
        cls.old_park = ProjectPageFactory(parent=previous, number=2, title="将军山登山步道")

    def search(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return [item.pk for item in response.context["results"]]

    def test_a_word_inside_a_longer_title_finds_the_item(self):
        self.assertIn(self.park.pk, self.search("体育公园"))

    def test_title_matches_rank_before_other_matches(self):
        self.assertEqual(self.search("体育公园"), [self.park.pk, self.school.pk])

    def test_words_from_summary_and_address_find_the_item(self):
        self.assertEqual(self.search("足球场"), [self.park.pk])
        self.assertEqual(self.search("迎宾大道"), [self.park.pk])

    def test_words_from_published_updates_find_the_item(self):
        self.assertEqual(self.search("沥青"), [self.road.pk])

    def test_english_category_name_finds_the_item(self):
        self.assertEqual(self.search("parks"), [self.park.pk])

    def test_item_number_finds_the_item(self):
        self.assertEqual(self.search("15")[0], self.road.pk)

    def test_all_years_are_searched_newest_first(self):
        self.assertEqual(self.search("将军山"), [self.park.pk, self.old_park.pk])

    def test_unrelated_words_find_nothing(self):
        self.assertEqual(self.search("医院"), [])

    def test_search_page_shows_the_results(self):
        response = self.client.get("/search/", {"q": "体育公园"})
        self.assertContains(response, "将军山体育公园建设")

    def test_overlong_query_gets_a_clear_message_not_an_error(self):
        response = self.client.get("/search/", {"q": "公园" * 80})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["results"], [])
