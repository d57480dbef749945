"""`manage.py refresh_schedules`, the daily job: every item's progress, status and colour judged
again as of its year's data date, so that lists and filters show what is true today even when no
update was published, and after the lag thresholds change."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings

from portal.setup import ensure_home_page
from projects.choices import Colour, Status
from projects.factories import (
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import ProjectPage
from tests.test_year_list import card_titles


def refresh():
    out = StringIO()
    call_command("refresh_schedules", stdout=out)
    return out.getvalue()


class RefreshSchedulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        # 2022 is judged on its set date, 1 July: a year-long item is expected at 50%.
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        cls.school = ProjectPageFactory(
            parent=cls.year, number=1, title="第一小学扩建", planned_start=date(2022, 1, 1)
        )
        ProgressUpdatePageFactory(parent=cls.school, date=date(2022, 6, 1), progress=35)
        cls.road = ProjectPageFactory(
            parent=cls.year, number=2, title="产业大道改造", planned_start=date(2022, 1, 1)
        )
        ProgressUpdatePageFactory(parent=cls.road, date=date(2022, 6, 1), progress=48)
        # 2023 has neither a set date nor an update: it is judged on today's date, and so its
        # items fall behind day by day without anyone publishing anything.
        cls.later = ProjectIndexPageFactory(parent=home, year=2023, status_date=None)
        cls.park = ProjectPageFactory(
            parent=cls.later,
            number=1,
            title="滨江公园提升",
            planned_start=date(2023, 1, 1),
            planned_completion=date(2023, 12, 31),
        )

    def stored(self, item):
        return ProjectPage.objects.values_list("colour", "status", "lag").get(pk=item.pk)

    def test_an_unattended_year_is_judged_on_today(self):
        # What the item looked like when it was created (on time, nothing expected yet).
        ProjectPage.objects.filter(pk=self.park.pk).update(
            colour=Colour.GREEN, status=Status.NOT_STARTED, lag=0, expected_progress=0
        )
        self.assertNotIn("滨江公园提升", card_titles(self.client.get("/2023/?colour=red")))
        self.assertIn("Refreshed 3 items.", refresh())
        # Today is long past its planned completion at 0%: seriously behind.
        self.assertEqual(self.stored(self.park)[0], Colour.RED)
        self.assertEqual(card_titles(self.client.get("/2023/?colour=red")), ["滨江公园提升"])

    def test_new_thresholds_apply_to_every_item(self):
        # Lag 15 (orange) and 2 (green) with the default thresholds 5 / 15 / 30.
        self.assertEqual(self.stored(self.school), (Colour.ORANGE, Status.DELAYED, 15))
        self.assertEqual(self.stored(self.road)[0], Colour.GREEN)
        with override_settings(PORTAL_LAG_THRESHOLDS={"yellow": 2, "orange": 8, "red": 15}):
            refresh()
        self.assertEqual(self.stored(self.school), (Colour.RED, Status.DELAYED, 15))
        self.assertEqual(self.stored(self.road)[0], Colour.YELLOW)
        self.assertEqual(card_titles(self.client.get("/2022/?colour=red")), ["第一小学扩建"])
        self.assertEqual(card_titles(self.client.get("/2022/?colour=yellow")), ["产业大道改造"])

    def test_figures_written_by_hand_are_put_right(self):
        ProjectPage.objects.filter(pk=self.school.pk).update(progress=90, colour=Colour.GREEN)
        refresh()
        school = ProjectPage.objects.get(pk=self.school.pk)
        self.assertEqual((school.progress, school.colour), (35, Colour.ORANGE))
        self.assertContains(self.client.get(school.url), "35%")
