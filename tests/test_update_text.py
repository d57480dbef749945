"""An update's text shown as a snippet (cards, the page description) reads as it was written."""

from datetime import date

from django.test import TestCase

from portal.setup import ensure_home_page
from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)


class UpdateSnippetTests(TestCase):
    def test_an_ampersand_in_an_update_is_shown_once_escaped(self):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022)
        item = ProjectPageFactory(parent=year, number=5, title="供水管网改造")
        update = ProgressUpdatePageFactory(
            parent=item,
            progress=45,
            date=date(2022, 6, 1),
            text="<p>管网铺设 &amp; 道路恢复同步推进，&lt;东段&gt;已完工。</p>",
        )
        overview = self.client.get("/").content.decode()
        self.assertIn("管网铺设 &amp; 道路恢复同步推进，&lt;东段&gt;已完工。", overview)
        self.assertNotIn("&amp;amp;", overview)
        page = self.client.get(update.url).content.decode()
        description = "管网铺设 &amp; 道路恢复同步推进，&lt;东段&gt;已完工。"
        self.assertIn(f'<meta name="description" content="{description}">', page)
