"""The supervision colour rule (序时进度) at its boundaries."""

from datetime import date

from django.test import SimpleTestCase, override_settings

from projects.choices import Colour
from projects.schedule import assess, expected_progress

START, END = date(2022, 1, 1), date(2022, 12, 27)  # 360 days


class ExpectedProgressTests(SimpleTestCase):
    def test_zero_before_and_on_the_start(self):
        self.assertEqual(expected_progress(START, END, date(2021, 12, 1)), 0)
        self.assertEqual(expected_progress(START, END, START), 0)

    def test_linear_between_start_and_completion(self):
        self.assertEqual(expected_progress(START, END, date(2022, 3, 2)), 17)  # 60/360
        self.assertEqual(expected_progress(START, END, date(2022, 6, 30)), 50)  # 180/360

    def test_full_on_and_after_the_completion_date(self):
        self.assertEqual(expected_progress(START, END, END), 100)
        self.assertEqual(expected_progress(START, END, date(2023, 3, 1)), 100)

    def test_missing_dates_expect_nothing(self):
        self.assertEqual(expected_progress(None, END, date(2022, 6, 1)), 0)


@override_settings(PORTAL_LAG_THRESHOLDS={"yellow": 5, "orange": 15, "red": 30})
class ColourTests(SimpleTestCase):
    MID = date(2022, 6, 30)  # expected 50 %

    def colour(self, progress, on=MID):
        return assess(progress=progress, start=START, completion=END, on=on).colour

    def test_completed_is_blue_even_after_the_deadline(self):
        self.assertEqual(self.colour(100, on=date(2023, 2, 1)), Colour.BLUE)

    def test_ahead_or_on_schedule_is_green(self):
        self.assertEqual(self.colour(70), Colour.GREEN)
        self.assertEqual(self.colour(50), Colour.GREEN)
        self.assertEqual(self.colour(46), Colour.GREEN)  # 4 points behind

    def test_yellow_from_five_points_behind(self):
        self.assertEqual(self.colour(45), Colour.YELLOW)
        self.assertEqual(self.colour(36), Colour.YELLOW)  # 14 behind

    def test_orange_from_fifteen_points_behind(self):
        self.assertEqual(self.colour(35), Colour.ORANGE)
        self.assertEqual(self.colour(21), Colour.ORANGE)  # 29 behind

    def test_red_from_thirty_points_behind(self):
        self.assertEqual(self.colour(20), Colour.RED)

    def test_red_once_past_completion_while_unfinished(self):
        result = assess(progress=99, start=START, completion=END, on=date(2022, 12, 28))
        self.assertTrue(result.overdue)
        self.assertEqual(result.colour, Colour.RED)

    def test_lag_is_negative_when_ahead(self):
        result = assess(progress=70, start=START, completion=END, on=self.MID)
        self.assertEqual((result.expected, result.lag), (50, -20))

    @override_settings(PORTAL_LAG_THRESHOLDS={"yellow": 10, "orange": 20, "red": 40})
    def test_thresholds_are_settings(self):
        self.assertEqual(self.colour(45), Colour.GREEN)
        self.assertEqual(self.colour(35), Colour.YELLOW)
        self.assertEqual(self.colour(20), Colour.ORANGE)
