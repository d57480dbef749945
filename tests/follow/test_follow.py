"""Following an item, a district or a category by e-mail (projects.follow), as residents do it:
the form on the item page and on a filtered year list, the confirmation e-mail and its link,
the daily digest after an update is published, and the one-click unsubscribe that erases the
address. Mail goes through the "background" task backend (immediate in tests, after commit).
"""

import io
import re
from datetime import date, timedelta
from smtplib import SMTPException
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from wagtail.models import Page

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DistrictFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.feedback.forms import started_token
from projects.models import Follow, Subscriber

LINK = re.compile(r"http://testserver(/\S+)")


def links(message):
    return LINK.findall(message.body)


def quiet():
    return open("/dev/null", "w")


class FollowData:
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        cls.year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
        cls.parks = CategoryFactory(slug="parks", name="公园绿道", name_en="Parks")
        cls.dawang = DistrictFactory(slug="dawang", name="大旺街道", name_en="Dawang Street")
        cls.south = DistrictFactory(slug="south", name="城南片区", name_en="South")
        cls.park = ProjectPageFactory(
            parent=cls.year,
            number=11,
            title="将军山体育公园建设",
            category=cls.parks,
            district=cls.dawang,
        )
        cls.greenway = ProjectPageFactory(
            parent=cls.year, number=2, title="城南绿道", district=cls.south
        )

    def setUp(self):
        super().setUp()
        cache.clear()  # the rate limits and used form tokens of earlier tests

    def post_follow(self, email, kind="item", target=None, client=None, **extra):
        target = target if target is not None else self.park.pk
        data = {
            "email": email,
            "kind": kind,
            "target": target,
            "website": "",
            "started": started_token(),
            **extra,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return (client or self.client).post("/follow/", data)

    def confirm_from_mail(self, email):
        message = next(m for m in reversed(mail.outbox) if m.to == [email])
        confirm = next(link for link in links(message) if link.startswith("/follow/confirm/"))
        return self.client.get(confirm)


class FollowAndDigestTests(FollowData, TestCase):
    def test_a_published_update_reaches_each_confirmed_follower_once_and_unsubscribe_erases(self):
        # Residents follow: the item (confirmed), its district (confirmed), the item again from
        # an address never confirmed, and another district (confirmed, no news there).
        for email, kind, target in (
            ("item.fan@example.cn", "item", self.park.pk),
            ("street.fan@example.cn", "district", "dawang"),
            ("never.confirmed@example.cn", "item", self.park.pk),
            ("south.fan@example.cn", "district", "south"),
        ):
            response = self.post_follow(email, kind, target)
            self.assertRedirects(response, "/follow/sent/")
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted(
                [
                    "item.fan@example.cn",
                    "street.fan@example.cn",
                    "never.confirmed@example.cn",
                    "south.fan@example.cn",
                ]
            ),
        )
        self.assertIn("将军山体育公园建设", mail.outbox[0].subject)
        for email in ("item.fan@example.cn", "street.fan@example.cn", "south.fan@example.cn"):
            page = self.confirm_from_mail(email)
            self.assertContains(page, "确认成功，您已关注")
        mail.outbox.clear()

        # Nothing is published yet: no digest.
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual(mail.outbox, [])

        update = ProgressUpdatePageFactory(
            parent=self.park, date=date(2022, 7, 10), progress=55, text="<p>球场铺装完成。</p>"
        )
        update_url = f"http://testserver{update.url}"
        for feed in (f"{self.park.url}feed/", "/feed/"):
            self.assertIn(update_url, self.client.get(feed).content.decode(), feed)

        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual(
            sorted(m.to for m in mail.outbox),
            [["item.fan@example.cn"], ["street.fan@example.cn"]],
        )
        for message in mail.outbox:
            self.assertIn("您关注的内容有1条新进展", message.subject)
            self.assertIn(update_url, message.body)
            self.assertIn("完成55%", message.body)
            unsubscribe = next(u for u in links(message) if u.startswith("/follow/unsubscribe/"))
            self.assertEqual(
                message.extra_headers["List-Unsubscribe"], f"<http://testserver{unsubscribe}>"
            )
            self.assertEqual(
                message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
            )

        # The same day again: nothing more.
        sent = len(mail.outbox)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual(len(mail.outbox), sent)

        # The item's follower unsubscribes with one click in the mail app (RFC 8058): a POST
        # without cookies or CSRF token. The address is gone.
        item_mail = next(m for m in mail.outbox if m.to == ["item.fan@example.cn"])
        unsubscribe = next(u for u in links(item_mail) if u.startswith("/follow/unsubscribe/"))
        mail_app = Client(enforce_csrf_checks=True)
        response = mail_app.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
        self.assertContains(response, "您的邮箱地址已删除")
        self.assertFalse(Subscriber.objects.filter(email="item.fan@example.cn").exists())
        self.assertEqual(Follow.objects.filter(subscriber__email="item.fan@example.cn").count(), 0)
        self.assertContains(self.client.get(unsubscribe), "无需任何操作", status_code=404)

        # A day later another update: only the district's follower hears of it. (Everything
        # so far is moved a day into the past.)
        day = timedelta(days=1)
        Follow.objects.update(confirmed_at=F("confirmed_at") - day)
        Subscriber.objects.update(last_sent_at=F("last_sent_at") - day)
        Page.objects.filter(pk=update.pk).update(first_published_at=F("first_published_at") - day)
        mail.outbox.clear()
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 8, 1), progress=70)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual([m.to for m in mail.outbox], [["street.fan@example.cn"]])
        self.assertIn("完成70%", mail.outbox[0].body)
        self.assertNotIn("完成55%", mail.outbox[0].body, "only what is new since the last mail")

    def test_several_follows_of_one_address_make_one_message_listing_each_update_once(self):
        for kind, target in (("item", self.park.pk), ("district", "dawang"), ("category", "parks")):
            self.post_follow("fan@example.cn", kind, target)
            self.confirm_from_mail("fan@example.cn")
        self.assertEqual(Subscriber.objects.count(), 1)
        mail.outbox.clear()
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 7, 10), progress=55)
        ProgressUpdatePageFactory(parent=self.greenway, date=date(2022, 7, 11), progress=30)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual(len(mail.outbox), 1)
        body = mail.outbox[0].body
        self.assertEqual(body.count("将军山体育公园建设：完成55%"), 1)
        self.assertNotIn("城南绿道", body)

    def test_a_digest_the_mail_server_refused_is_sent_on_the_next_run(self):
        self.post_follow("fan@example.cn")
        self.confirm_from_mail("fan@example.cn")
        mail.outbox.clear()
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 7, 10), progress=55)
        refused = mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPException("mail server down"),
        )
        with refused, self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(Subscriber.objects.get().last_sent_at)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_follow_digest", stdout=quiet())
        self.assertEqual([m.to for m in mail.outbox], [["fan@example.cn"]])

    def test_the_unsubscribe_link_opens_a_page_and_only_its_button_unsubscribes(self):
        self.post_follow("fan@example.cn")
        unsubscribe = next(u for u in links(mail.outbox[0]) if "/unsubscribe/" in u)
        page = self.client.get(unsubscribe)
        self.assertContains(page, "退订并删除我的邮箱地址")
        self.assertTrue(Subscriber.objects.filter(email="fan@example.cn").exists())
        self.client.post(unsubscribe)
        self.assertFalse(Subscriber.objects.exists())

    def test_unconfirmed_addresses_are_erased_after_a_week_and_get_no_digest(self):
        self.post_follow("late@example.cn")
        self.post_follow("kept@example.cn")
        self.confirm_from_mail("kept@example.cn")
        Subscriber.objects.update(created_at=timezone.now() - timedelta(days=8))
        Follow.objects.update(created_at=timezone.now() - timedelta(days=8))
        out = io.StringIO()
        call_command("send_follow_digest", stdout=out)
        self.assertIn("1 unconfirmed address(es) erased", out.getvalue())
        self.assertEqual(
            list(Subscriber.objects.values_list("email", flat=True)), ["kept@example.cn"]
        )
        late_link = next(u for u in links(mail.outbox[0]) if "/confirm/" in u)
        self.assertContains(self.client.get(late_link), "此链接已失效", status_code=404)

    def test_dry_run_counts_without_sending(self):
        self.post_follow("fan@example.cn")
        self.confirm_from_mail("fan@example.cn")
        mail.outbox.clear()
        ProgressUpdatePageFactory(parent=self.park, date=date(2022, 7, 10), progress=55)
        out = io.StringIO()
        call_command("send_follow_digest", dry_run=True, stdout=out)
        self.assertIn("1 digest(s) would be queued", out.getvalue())
        self.assertEqual(mail.outbox, [])


class FollowFormTests(FollowData, TestCase):
    def test_item_page_and_filtered_list_carry_the_form_without_a_personal_token(self):
        page = self.client.get(self.park.url).content.decode()
        self.assertIn("关注此项目", page)
        form = re.search(r'<form class="follow-form".*?</form>', page, re.S).group(0)
        self.assertIn('data-token-url="/feedback/form-tokens/"', form)
        self.assertIn('name="csrfmiddlewaretoken" value=""', form)
        self.assertIn('name="started" value=""', form)
        district = self.client.get(f"{self.year.url}?district=dawang").content.decode()
        self.assertIn("关注此街道", district)
        self.assertIn('name="target" value="dawang"', district)
        category = self.client.get(f"{self.year.url}?category=parks").content.decode()
        self.assertIn("关注此类别", category)
        self.assertNotIn("follow-form", self.client.get(self.year.url).content.decode())

    def test_a_mistyped_address_comes_back_with_a_message_in_chinese(self):
        response = self.post_follow("wang@@example")
        self.assertContains(response, "请输入有效的电子邮箱")
        self.assertContains(response, 'value="wang@@example"')
        response = self.post_follow("")
        self.assertContains(response, "请填写您的电子邮箱。")
        self.assertEqual(Subscriber.objects.count(), 0)

    def test_english_visitors_get_the_mail_in_english(self):
        self.client.cookies["django_language"] = "en"
        self.post_follow("reader@example.com")
        self.assertIn("Please confirm: follow No. 11", mail.outbox[0].subject)
        self.assertIn("To confirm, open this link:", mail.outbox[0].body)

    def test_unknown_targets_are_not_found(self):
        for kind, target in (("item", 999999), ("district", "nowhere"), ("street", "dawang")):
            self.assertEqual(self.post_follow("a@example.cn", kind, target).status_code, 404)
            response = self.client.get("/follow/", {"kind": kind, "target": target})
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(f"/follow/confirm/{'x' * 32}/").status_code, 404)

    def test_the_form_page_works_without_javascript(self):
        page = self.client.get("/follow/", {"kind": "category", "target": "parks"})
        self.assertContains(page, "“公园绿道”类项目")
        self.assertContains(page, 'name="csrfmiddlewaretoken" value="')
        self.assertRegex(page.content.decode(), r'name="started" value="[^"]+"')

    def test_asking_again_never_tells_whether_an_address_follows(self):
        first = self.post_follow("fan@example.cn")
        self.confirm_from_mail("fan@example.cn")
        again = self.post_follow("fan@example.cn")
        self.assertEqual(first["Location"], again["Location"])
        self.assertEqual(len(mail.outbox), 1, "a confirmed follow is not confirmed again")
        self.assertContains(self.client.get("/follow/sent/"), "请查收邮件")

    def test_a_stale_csrf_token_from_a_cached_page_gives_the_form_back_filled_in(self):
        browser = Client(enforce_csrf_checks=True)
        response = self.post_follow("fan@example.cn", client=browser)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, 'value="fan@example.cn"', status_code=403)
        self.assertContains(response, "表单已过期", status_code=403)
        self.assertEqual(Subscriber.objects.count(), 0)


class FollowAbuseTests(FollowData, TestCase):
    def test_bots_are_answered_as_people_and_nothing_is_stored(self):
        self.assertRedirects(
            self.post_follow("bot@example.cn", website="http://spam.example"), "/follow/sent/"
        )
        self.assertRedirects(self.post_follow("bot@example.cn", started="forged"), "/follow/sent/")
        self.assertEqual(Subscriber.objects.count(), 0)
        self.assertEqual(mail.outbox, [])

    @override_settings(FEEDBACK_RATE_LIMIT=2)
    def test_one_client_address_is_limited_like_feedback(self):
        for number in range(2):
            self.assertEqual(self.post_follow(f"n{number}@example.cn").status_code, 302)
        response = self.post_follow("n3@example.cn")
        self.assertContains(response, "分钟后再试", status_code=429)
        self.assertEqual(Subscriber.objects.count(), 2)

    @override_settings(FOLLOW_CONFIRMATIONS_PER_ADDRESS=2, FEEDBACK_RATE_LIMIT=100)
    def test_one_mailbox_gets_a_few_confirmation_mails_a_day_whoever_asks(self):
        for kind, target in (
            ("item", self.park.pk),
            ("item", self.greenway.pk),
            ("district", "dawang"),
            ("category", "parks"),
        ):
            self.post_follow("victim@example.cn", kind, target)
        self.assertEqual(len(mail.outbox), 2)

    def test_the_same_form_sent_twice_counts_once(self):
        data = {
            "email": "fan@example.cn",
            "kind": "item",
            "target": self.park.pk,
            "started": started_token(),
        }
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/follow/", data)
            self.client.post("/follow/", data)
        self.assertEqual(len(mail.outbox), 1)
