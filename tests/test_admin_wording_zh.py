"""Wagtail's own Chinese wording that reads wrongly on our admin screens, overridden through the
project's locale (see locale/zh_Hans/LC_MESSAGES/django.po)."""

from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext


class WagtailWordingOverrideTests(SimpleTestCase):
    def test_the_reviewer_s_approve_button_reads_as_one_phrase(self):
        with translation.override("zh-hans"):
            label = gettext("%(label)s and Publish") % {"label": "通过"}
        self.assertEqual(label, "通过并发布")

    def test_a_chooser_button_has_no_space_inside_chinese(self):
        with translation.override("zh-hans"):
            label = gettext("Choose %(object)s") % {"object": "类别"}
        self.assertEqual(label, "选择类别")
