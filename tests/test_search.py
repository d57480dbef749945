"""Chinese-aware search on either database: words inside longer titles, single characters,
synonyms editors keep, English, odd input; and what the page offers when nothing matches.

The everyday-words table against the demo list is in tests/test_search_everyday.py."""

from datetime import date

from django.conf import settings
from django.test import SimpleTestCase, TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import SearchSynonym
from projects.search.text import index_text, parse_query, query_words, tokens


class TokenTests(SimpleTestCase):
    def test_chinese_runs_become_overlapping_bigrams(self):
        self.assertEqual(tokens("体育公园"), ["体育", "育公", "公园"])

    def test_latin_words_and_numbers_stay_whole_lower_case_and_singular(self):
        self.assertEqual(tokens("5G Parks, No.37 libraries"), ["5g", "park", "no", "37", "library"])

    def test_markup_is_ignored(self):
        self.assertEqual(tokens("<p>碧道</p>"), ["碧道"])

    def test_only_the_headline_is_indexed_character_by_character(self):
        document = index_text(headline=["断头路打通"], body=["路基施工"]).split()
        self.assertIn("路", document)
        self.assertIn("路基", document)
        self.assertNotIn("基", document)


class QueryParsingTests(SimpleTestCase):
    def test_jieba_cuts_a_phrase_into_words(self):
        self.assertEqual(query_words("老人吃饭"), ["老人", "吃饭"])

    def test_pieces_of_a_known_word_are_joined_again(self):
        self.assertEqual(query_words("白改黑", known=["白改黑"]), ["白改黑"])

    def test_single_characters_among_words_only_help_ranking(self):
        concepts = parse_query("路灯坏了", {})
        self.assertEqual(
            [(c.word, c.required) for c in concepts], [("路灯", True), ("坏", False), ("了", False)]
        )

    def test_a_single_character_alone_is_required(self):
        self.assertEqual([(c.word, c.required) for c in parse_query("路", {})], [("路", True)])

    def test_question_words_do_not_narrow_the_search(self):
        concepts = parse_query("附近哪里有医院", {})
        self.assertEqual([c.word for c in concepts if c.required], ["医院"])

    def test_synonyms_become_alternatives(self):
        (concept,) = parse_query("看病", {"看病": ["医院", "卫生院"]})
        self.assertEqual(concept.alternatives, ("看病", "医院", "卫生院"))

    def test_english_words_find_their_synonyms_in_the_plural(self):
        (concept,) = parse_query("Hospitals", {"hospital": ["医院"]})
        self.assertEqual(concept.alternatives, ("hospital", "医院"))


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

    def test_the_form_as_submitted_keeps_the_best_match_first(self):
        blank = dict.fromkeys(
            ["category", "district", "department", "status", "colour", "sort"], ""
        )
        response = self.client.get("/search/", {"q": "体育公园", **blank})
        self.assertEqual(
            [item.pk for item in response.context["results"]], [self.park.pk, self.school.pk]
        )
        response = self.client.get("/search/", {"q": "体育公园", **blank, "sort": "number"})
        self.assertEqual(
            [item.pk for item in response.context["results"]], [self.school.pk, self.park.pk]
        )

    def test_words_from_summary_and_address_find_the_item(self):
        self.assertEqual(self.search("足球场"), [self.park.pk])
        self.assertEqual(self.search("迎宾大道"), [self.park.pk])

    def test_words_from_published_updates_find_the_item(self):
        self.assertEqual(self.search("沥青"), [self.road.pk])

    def test_english_category_name_finds_the_item(self):
        # The school's summary mentions a 体育公园: "park" finds it too, after the park.
        self.assertEqual(self.search("parks"), [self.park.pk, self.school.pk])

    def test_item_number_finds_the_item(self):
        self.assertEqual(self.search("15")[0], self.road.pk)

    def test_all_years_are_searched_newest_first(self):
        self.assertEqual(self.search("将军山"), [self.park.pk, self.old_park.pk])

    def test_unrelated_words_find_nothing(self):
        self.assertEqual(self.search("医院"), [])

    def test_search_page_shows_the_results(self):
        response = self.client.get("/search/", {"q": "体育公园"})
        self.assertContains(response, "将军山体育公园建设")

    def test_a_single_character_of_a_title_finds_the_item(self):
        self.assertEqual(self.search("旺"), [self.road.pk])

    def test_a_synonym_editors_add_finds_items_at_once(self):
        self.assertEqual(self.search("踢球"), [])
        SearchSynonym.objects.create(term="踢球", related="足球场 球场")
        self.assertEqual(self.search("踢球"), [self.park.pk])

    def test_the_english_title_finds_the_item_and_shows_on_the_english_site(self):
        self.school.title_en = "Yucai School"
        self.school.save_revision().publish()
        self.assertEqual(self.search("schools"), [self.school.pk])
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get("/search/", {"q": "school"})
        self.assertContains(response, "Yucai School")

    def test_numbers_other_than_ascii_digits_are_words_not_errors(self):
        for query in ("1\u00b2", "1\u2460", "\u0661\u0662"):
            for url in ("/search/", "/2022/", "/map/"):
                response = self.client.get(url, {"q": query})
                self.assertEqual(response.status_code, 200, (url, query))

    def test_no_match_offers_popular_searches_and_categories(self):
        response = self.client.get("/search/", {"q": "游泳馆"})
        self.assertEqual(response.context["results"], [])
        self.assertContains(response, 'href="?q=%E5%8C%BB%E9%99%A2"')  # 医院, a popular search
        self.assertContains(response, 'href="/2022/?category=parks"')

    def test_no_match_offers_a_shorter_word_that_finds_something(self):
        response = self.client.get("/search/", {"q": "沥青路"})
        self.assertEqual(response.context["results"], [])
        self.assertIn("沥青", response.context["suggestions"]["words"])
        self.assertContains(response, 'href="?q=%E6%B2%A5%E9%9D%92"')

    def test_when_no_item_has_every_word_those_with_some_are_shown(self):
        response = self.client.get("/search/", {"q": "足球场 游泳池"})
        self.assertTrue(response.context["partial"])
        self.assertEqual([i.pk for i in response.context["results"]], [self.park.pk])
        self.assertContains(response, "部分")

    def test_no_match_on_the_english_site_suggests_english_words(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get("/search/", {"q": "swimming"})
        popular = response.context["suggestions"]["popular"]
        self.assertIn("hospital", popular)
        self.assertNotIn("医院", popular)
        self.assertContains(response, "Parks")

    def test_overlong_query_gets_a_clear_message_not_an_error(self):
        response = self.client.get("/search/", {"q": "公园" * 80})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["results"], [])
