"""The progress curve's geometry: planned line, actual points and the "as of" marker."""

from datetime import date

from django.test import SimpleTestCase

from projects.charts import progress_curve


class ProgressCurveTests(SimpleTestCase):
    def curve(self, updates, as_of=date(2022, 7, 1)):
        return progress_curve(
            start=date(2022, 1, 1), completion=date(2022, 12, 31), as_of=as_of, updates=updates
        )

    def test_planned_line_runs_from_bottom_left_to_top_right(self):
        curve = self.curve([])
        start, end = (tuple(map(float, point.split(","))) for point in curve.planned.split())
        self.assertEqual(start, (curve.left, curve.bottom))
        self.assertEqual(end, (curve.width - 12, curve.top))

    def test_actual_line_starts_at_zero_and_follows_updates_in_date_order(self):
        curve = self.curve([(date(2022, 6, 1), 40), (date(2022, 3, 1), 10)])
        self.assertEqual([percent for *_xy, _day, percent in curve.dots], [10, 40])
        self.assertEqual(len(curve.actual.split()), 3)
        first = tuple(map(float, curve.actual.split()[0].split(",")))
        self.assertEqual(first, (curve.left, curve.bottom))

    def test_higher_progress_is_drawn_higher(self):
        curve = self.curve([(date(2022, 3, 1), 10), (date(2022, 6, 1), 40)])
        (_x1, y1, *_), (_x2, y2, *_) = curve.dots
        self.assertLess(y2, y1)

    def test_as_of_marker_only_inside_the_time_axis(self):
        self.assertIsNotNone(self.curve([]).today_x)
        self.assertIsNone(self.curve([], as_of=date(2021, 6, 1)).today_x)

    def test_no_curve_without_sensible_dates(self):
        self.assertIsNone(
            progress_curve(
                start=date(2022, 5, 1),
                completion=date(2022, 5, 1),
                as_of=date(2022, 6, 1),
                updates=[],
            )
        )
