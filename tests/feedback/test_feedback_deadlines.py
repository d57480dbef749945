"""Reply deadlines in working days, with China's public holidays and make-up workdays."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, TestCase, override_settings

from projects.feedback.deadlines import (
    add_working_days,
    is_working_day,
    reply_due,
    working_days_between,
)
from projects.models import Feedback
from tests.feedback_support import make_feedback, make_item

SHANGHAI = ZoneInfo("Asia/Shanghai")


class WorkingDayTests(SimpleTestCase):
    def test_calendar_knows_holidays_and_make_up_days(self):
        self.assertFalse(is_working_day(date(2026, 10, 1)))  # National Day
        self.assertFalse(is_working_day(date(2026, 10, 7)))
        self.assertTrue(is_working_day(date(2026, 10, 10)))  # a Saturday, made a workday
        self.assertTrue(is_working_day(date(2026, 2, 14)))  # Saturday before Spring Festival
        self.assertFalse(is_working_day(date(2026, 2, 17)))  # Spring Festival
        self.assertFalse(is_working_day(date(2026, 11, 28)))  # an ordinary Saturday

    def test_three_working_days_across_national_day(self):
        # Received Wednesday 30 September: 1–7 October are holidays; 8, 9 and the make-up
        # Saturday 10 October are the three working days.
        self.assertEqual(add_working_days(date(2026, 9, 30), 3), date(2026, 10, 10))
        self.assertEqual(working_days_between(date(2026, 9, 30), date(2026, 10, 10)), 3)

    def test_across_spring_festival_and_mid_autumn(self):
        # Fri 13 Feb: Sat 14 (make-up) counts, 15–23 are holidays, then 24 and 25.
        self.assertEqual(add_working_days(date(2026, 2, 13), 3), date(2026, 2, 25))
        # Thu 24 Sep: 25–27 are the Mid-Autumn break, then 28, 29, 30.
        self.assertEqual(add_working_days(date(2026, 9, 24), 3), date(2026, 9, 30))

    def test_ordinary_weekend(self):
        self.assertEqual(add_working_days(date(2026, 11, 27), 3), date(2026, 12, 2))

    def test_a_year_the_calendar_does_not_know_yet_falls_back_to_weekends(self):
        # Wed 30 Dec 2099 → Thu 31, Fri 1 Jan (its holidays are not published yet), Mon 4.
        self.assertEqual(add_working_days(date(2099, 12, 30), 3), date(2100, 1, 4))

    def test_received_late_in_the_evening_counts_in_china_time(self):
        late = datetime(2026, 9, 30, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC
        self.assertEqual(reply_due(late), date(2026, 10, 10))

    @override_settings(FEEDBACK_REPLY_WORKING_DAYS=5)
    def test_number_of_days_is_a_setting(self):
        # 8, 9, 10 (make-up Saturday), 12 and 13 October.
        self.assertEqual(reply_due(date(2026, 9, 30)), date(2026, 10, 13))


class StoredDeadlineTests(TestCase):
    def test_message_gets_its_deadline_and_turns_overdue_after_it(self):
        item = make_item()
        received = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
        with mock.patch("django.utils.timezone.now", return_value=received):
            feedback = make_feedback(item)
        self.assertEqual(feedback.reply_due, date(2026, 10, 10))
        overdue_on = Feedback.objects.overdue
        self.assertFalse(overdue_on(today=date(2026, 10, 8)).exists())  # first day back
        self.assertFalse(overdue_on(today=date(2026, 10, 10)).exists())  # due today
        self.assertTrue(overdue_on(today=date(2026, 10, 12)).exists())
