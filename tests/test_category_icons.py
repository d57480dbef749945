"""Category icons are named line icons from one SVG sprite, not emoji (which show as empty boxes
on phones without an emoji font): the sprite draws every choice, editors pick one from a list in
Chinese, the public pages show it hidden from screen readers, and migration 0010 turns the emoji
categories already have into icon names."""

import importlib
import re
import xml.etree.ElementTree as ET
from datetime import date

from django.apps import apps
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from portal.setup import ensure_home_page
from projects.choices import CategoryIcon
from projects.factories import CategoryFactory, ProjectIndexPageFactory, ProjectPageFactory
from projects.models import Category
from tests.conftest import make_user

SPRITE = settings.BASE_DIR / "static/img/icons/categories.svg"
SVG = "{http://www.w3.org/2000/svg}"
# Pictographs, dingbats and symbols: where the emoji the categories used to hold live.
EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")


def icon_uses(html):
    return re.findall(r'<svg class="icon" aria-hidden="true"[^>]*><use href="[^"]*#(\w+)"', html)


class SpriteTests(TestCase):
    def test_the_sprite_draws_every_icon_an_editor_can_choose_in_the_text_colour(self):
        symbols = ET.parse(SPRITE).getroot().findall(f"{SVG}symbol")
        self.assertEqual(sorted(s.get("id") for s in symbols), sorted(CategoryIcon.values))
        for symbol in symbols:
            self.assertEqual(symbol.get("stroke"), "currentColor", symbol.get("id"))
            self.assertEqual(symbol.get("viewBox"), "0 0 24 24", symbol.get("id"))
            self.assertTrue(list(symbol), symbol.get("id"))


class PublicPageIconTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        cls.parks = CategoryFactory(slug="parks", name="公园绿道", icon="park")
        cls.schools = CategoryFactory(slug="education", name="教育", icon="school")
        cls.plain = CategoryFactory(slug="other", name="其他", icon="")
        for number, category in enumerate((cls.parks, cls.schools, cls.plain), start=1):
            ProjectPageFactory(parent=cls.year, number=number, category=category)

    def test_overview_and_year_list_show_each_categorys_icon_beside_its_name(self):
        for url in ("/", "/2022/"):
            html = self.client.get(url).content.decode()
            with self.subTest(url):
                self.assertIn("park", icon_uses(html))
                self.assertIn("school", icon_uses(html))
                self.assertNotRegex(html, EMOJI)

    def test_item_page_tags_its_category_with_the_icon(self):
        html = self.client.get("/2022/1/").content.decode()
        tag = re.search(r'<span class="category-tag[^"]*"[^>]*>(.*?)</span>', html).group(1)
        self.assertEqual(icon_uses(tag), ["park"])
        self.assertIn("公园绿道", tag)

    def test_a_category_without_icon_shows_its_name_alone(self):
        html = self.client.get("/2022/3/").content.decode()
        tag = re.search(r'<span class="category-tag[^"]*"[^>]*>(.*?)</span>', html).group(1)
        self.assertEqual(tag, "其他")

    def test_an_unmigrated_emoji_is_not_put_on_the_page(self):
        Category.objects.filter(pk=self.parks.pk).update(icon="🌳")
        html = self.client.get("/2022/1/").content.decode()
        self.assertNotIn("🌳", html)
        self.assertNotIn("#🌳", html)


class CategoryAdminTests(TestCase):
    def test_editors_choose_the_icon_from_a_list_in_chinese(self):
        self.client.force_login(make_user("admin", superuser=True))
        response = self.client.get(reverse("wagtailsnippets_projects_category:add"))
        html = response.content.decode()
        select = re.search(r'<select name="icon"[^>]*>(.*?)</select>', html, re.S).group(1)
        options = dict(re.findall(r'<option value="(\w*)"[^>]*>([^<]*)</option>', select))
        self.assertEqual(set(options) - {""}, set(CategoryIcon.values))
        self.assertEqual(options["school"], "学校")
        self.assertEqual(options["safety"], "公共安全（盾牌）")

    def test_an_editor_saves_a_category_with_an_icon(self):
        self.client.force_login(make_user("admin", superuser=True))
        response = self.client.post(
            reverse("wagtailsnippets_projects_category:add"),
            {
                "name": "就业服务",
                "name_en": "",
                "slug": "jobs",
                "sort_order": 0,
                "colour": "#1d6fa5",
                "icon": "employment",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Category.objects.get(slug="jobs").icon, "employment")


class EmojiMigrationTests(TestCase):
    """`0011_category_icons` on rows as an older database holds them (run here with the current
    models, which have the same fields)."""

    migration = importlib.import_module("projects.migrations.0011_category_icons")

    def test_emoji_become_the_icons_that_mean_the_same(self):
        held = {
            "education": "🏫",
            "safety": "🛡\ufe0f",  # with the emoji variation selector, as phones type it
            "elderly": "👵🏽",  # with a skin tone
            "roads": "🛣",
            "parks": "park",  # already a name
            "odd": "🦄",  # no counterpart
            "none": "",
        }
        for slug, icon in held.items():
            CategoryFactory(slug=slug, icon=icon)

        self.migration.emoji_to_icon(apps, None)

        self.assertEqual(
            dict(Category.objects.values_list("slug", "icon")),
            {
                "education": "school",
                "safety": "safety",
                "elderly": "elderly",
                "roads": "road",
                "parks": "park",
                "odd": "",
                "none": "",
            },
        )

    def test_going_back_restores_an_emoji(self):
        CategoryFactory(slug="education", icon="school")
        self.migration.icon_to_emoji(apps, None)
        self.assertEqual(Category.objects.get(slug="education").icon, "🏫")
