"""A resident leaves feedback: the happy path, every bad input (no 500, nothing stored, the
form back with what was typed), the anti-abuse rules, ratings and the public display."""

import re
import time
from datetime import date

from django.core import signing
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from projects.choices import FeedbackStatus, Status
from projects.factories import ProgressUpdatePageFactory
from projects.feedback import moderation
from projects.feedback.forms import STARTED_SALT, started_token
from projects.models import Feedback, FeedbackPhoto
from tests.conftest import make_user
from tests.feedback_support import (
    jpeg_with_gps,
    make_feedback,
    make_item,
    noisy_jpeg,
    png_bytes,
    png_claiming_size,
    post_data,
    upload,
)


class SubmissionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = make_item()
        cls.url = reverse("feedback_new", args=[cls.item.pk])

    def setUp(self):
        cache.clear()
        self.client.cookies["django_language"] = "en"  # assertions below are the msgids

    def post(self, photos=(), **overrides):
        data = post_data(**overrides)
        if photos:
            data["photos"] = list(photos)
        return self.client.post(self.url, data)

    def assertRefused(self, response, message, status=200):
        """The form is back (never a 500) with `message`, and nothing was stored."""
        self.assertEqual(response.status_code, status)
        self.assertContains(response, message, status_code=status)
        self.assertContains(response, 'class="fb-form"', status_code=status)
        self.assertEqual(Feedback.objects.count(), 0)
        self.assertEqual(FeedbackPhoto.objects.count(), 0)


class HappyPathTests(SubmissionTestCase):
    def test_item_page_carries_the_form_with_csrf_and_consent_notice(self):
        response = self.client.get(self.item.url)
        self.assertContains(response, f'action="{self.url}"')
        self.assertContains(response, "csrfmiddlewaretoken")
        self.assertContains(response, "How we handle your personal information")
        self.assertContains(response, 'name="website"')  # the honeypot

    def test_valid_post_stores_once_and_redirects_to_status_page(self):
        response = self.post(
            photos=[upload(jpeg_with_gps(800, 600))], name="王女士", contact="138 1234 5678"
        )
        feedback = Feedback.objects.get()
        self.assertRedirects(
            response, reverse("feedback_status", args=[feedback.tracking_code]) + "?new=1"
        )
        self.assertEqual(feedback.contact, "13812345678")
        self.assertEqual(feedback.status, FeedbackStatus.PENDING)
        self.assertEqual(feedback.project_title, str(self.item))
        self.assertFalse(feedback.show_name)  # anonymous by default
        self.assertEqual(feedback.photos.count(), 1)
        status = self.client.get(response["Location"])
        self.assertContains(status, feedback.tracking_code)
        self.assertContains(status, "Being reviewed")
        self.assertNotContains(status, "13812345678")
        self.assertNotContains(status, "王女士")
        self.assertEqual(status["X-Robots-Tag"], "noindex, nofollow")

    def test_track_box_forwards_to_the_status_page(self):
        feedback = make_feedback(self.item)
        track = reverse("feedback_track")
        response = self.client.get(track, {"code": f" {feedback.tracking_code.lower()} "})
        self.assertRedirects(response, reverse("feedback_status", args=[feedback.tracking_code]))
        # What is typed is kept to letters and digits: never a path, never markup. A code
        # that matches nothing is a 404 page that says so and keeps what was typed.
        for junk, cleaned in (("../../admin/", "ADMIN"), ("<script>", "SCRIPT"), ("a/b?c", "ABC")):
            response = self.client.get(track, {"code": junk})
            status_url = reverse("feedback_status", args=[cleaned])
            self.assertRedirects(response, status_url, target_status_code=404)
            page = self.client.get(status_url)
            self.assertContains(page, "We could not find that tracking code", status_code=404)
            self.assertContains(
                page, f'<strong class="fb-code-typed">{cleaned}</strong>', status_code=404
            )
        empty = self.client.get(track, {"code": ""})
        self.assertEqual(empty.status_code, 200)  # the box on a page of its own
        self.assertContains(empty, "Follow my message")
        self.assertNotContains(empty, "We could not find that tracking code")

    def test_tracking_codes_are_long_random_and_unique(self):
        codes = {make_feedback(self.item, suffix=str(n)).tracking_code for n in range(50)}
        self.assertEqual(len(codes), 50)
        self.assertTrue(all(len(code) == 16 and code.isalnum() for code in codes))
        self.assertEqual(self.client.get("/feedback/AAAAAAAAAAAAAAAA/").status_code, 404)

    def test_feedback_from_an_update_page_belongs_to_its_item(self):
        update = ProgressUpdatePageFactory(parent=self.item, date=date(2022, 5, 1))
        page = self.client.get(update.url)
        self.assertContains(page, reverse("feedback_new", args=[update.pk]))
        self.client.post(reverse("feedback_new", args=[update.pk]), post_data(kind="correction"))
        feedback = Feedback.objects.get()
        self.assertEqual((feedback.project_id, feedback.update_id), (self.item.pk, update.pk))

    def test_unpublished_item_takes_no_feedback(self):
        self.item.unpublish()
        self.assertEqual(self.client.post(self.url, post_data()).status_code, 404)

    def test_standalone_form_page_works_without_the_item_page(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'class="fb-form"')
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertIn("no-cache", response["Cache-Control"])


class BadInputTests(SubmissionTestCase):
    """Every bad input: a clear message, the form back with what was typed, nothing stored."""

    def test_empty_message(self):
        self.assertRefused(self.post(message="   "), "Please write your message.")

    def test_too_short_and_oversized_message(self):
        self.assertRefused(self.post(message="好"), "Please write at least 5 characters")
        response = self.post(message="长" * 1001)
        self.assertRefused(response, "Please keep it to 1000 characters (you wrote 1001)")
        self.assertContains(response, "长" * 1001)  # what they typed comes back

    def test_missing_kind_and_consent(self):
        self.assertRefused(self.post(kind=""), "Please choose what kind of message it is.")
        for refused in ("", "off", "0", "false", "no"):
            with self.subTest(consent=refused):
                response = self.post(consent=refused)
                self.assertRefused(response, "Please agree to the personal information")

    @override_settings(FEEDBACK_RATE_LIMIT=20)
    def test_an_email_address_reaches_the_moderator_exactly_as_typed(self):
        addresses = ["li-si@zhao-qing.gov.cn", "li.si+minsheng@qq.com", "wangwu@肇庆高新区.中国"]
        for n, address in enumerate(addresses):
            self.post(contact=address, message=f"第{n}条：东门路灯不亮")
        self.client.force_login(make_user("moderator", "Feedback moderators"))
        for address in addresses:
            feedback = Feedback.objects.get(contact=address)
            url = reverse("feedback_reveal_contact", args=[feedback.pk])
            with self.subTest(address=address):
                self.assertContains(self.client.post(url), address)

    def test_text_that_is_not_a_message(self):
        cases = {
            "\u200b" * 1000: "Please write at least 5 characters (you wrote 0)",
            "好" + "\u200b" * 6: "Please write at least 5 characters (you wrote 1)",
            "路灯坏了\x00\x01\x07很久了": "control characters",
            "路灯坏了\x1b[31m很久了": "control characters",
            "路灯坏了\ufffd\ufffd很久了": "could not be read",
        }
        for message, error in cases.items():
            with self.subTest(message=repr(message[:12])):
                self.assertRefused(self.post(message=message), error)
        self.assertRefused(self.post(name="\u200b\u200b"), "no visible text")

    def test_line_breaks_tabs_and_emoji_are_text(self):
        message = "路灯坏了\n\t已经两周 👨\u200d👩\u200d👧 请修"
        self.post(message=message)
        self.assertEqual(Feedback.objects.get().message, message)

    def test_invalid_contact(self):
        for contact in ("12345", "1381234567x", "name@", "2381234567801"):
            with self.subTest(contact=contact):
                response = self.post(contact=contact, message="请尽快修好路灯谢谢")
                self.assertRefused(response, "Please enter a")
                self.assertContains(response, "请尽快修好路灯谢谢")

    @override_settings(FEEDBACK_RATE_LIMIT=20)
    def test_phone_numbers_are_compacted_and_email_addresses_kept_as_typed(self):
        cases = {
            "138-1234-5678": "13812345678",
            "028-12345678": "02812345678",
            "+8613812345678": "+8613812345678",
            " Wang@Example.CN ": "Wang@Example.CN",
            "li-si@zhao-qing.gov.cn": "li-si@zhao-qing.gov.cn",
            "li.si+minsheng@qq.com": "li.si+minsheng@qq.com",
            "wangwu@肇庆高新区.中国": "wangwu@肇庆高新区.中国",
        }
        for n, raw in enumerate(cases):
            self.post(contact=raw, message=f"第{n}条：建议增加路灯")
        self.assertEqual(
            sorted(Feedback.objects.values_list("contact", flat=True)), sorted(cases.values())
        )

    def test_too_many_photos(self):
        photos = [upload(png_bytes(), name=f"p{n}.png", content_type="image/png") for n in range(4)]
        self.assertRefused(self.post(photos=photos), "You can attach at most 3 photos.")

    @override_settings(FEEDBACK_MAX_PHOTO_BYTES=50 * 1024)
    def test_too_large_photo(self):
        big = noisy_jpeg(300, 300)
        self.assertGreater(len(big), 50 * 1024)
        self.assertRefused(self.post(photos=[upload(big)]), "is larger than 0 MB")

    def test_files_that_are_not_real_images(self):
        html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
        jpeg = jpeg_with_gps(300, 200)
        cases = {
            "renamed HTML": upload(html, "photo.jpg"),
            "SVG": upload(svg, "photo.svg", "image/svg+xml"),
            "truncated JPEG": upload(jpeg[: len(jpeg) // 2], "cut.jpg"),
            "truncated PNG": upload(png_bytes(200, 200)[:60], "cut.png", "image/png"),
            "JPEG/HTML polyglot": upload(jpeg + b"<script>alert(document.cookie)</script>"),
            "GIF": upload(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.gif", "image/gif"),
            "empty file": upload(b"", "empty.jpg"),
        }
        for label, bad in cases.items():
            with self.subTest(label):
                response = self.post(photos=[bad])
                if label == "empty file":  # Django's own message
                    self.assertRefused(response, "The submitted file is empty.")
                else:
                    self.assertRefused(response, "is not a photo we can read")

    def test_absurd_requests_get_a_400_not_a_500(self):
        files = [upload(png_bytes(), f"p{n}.png", "image/png") for n in range(101)]
        self.assertEqual(self.post(photos=files).status_code, 400)  # Django's file count cap
        self.assertEqual(self.post(message="长" * 1_000_000).status_code, 400)  # body cap
        self.assertEqual(Feedback.objects.count(), 0)

    def test_decompression_bomb_is_refused_before_decoding(self):
        bomb = png_claiming_size(30_000, 30_000)  # 900 Mpx claimed in a few bytes
        started = time.monotonic()
        response = self.post(photos=[upload(bomb, "bomb.png", "image/png")])
        self.assertLess(time.monotonic() - started, 5)
        self.assertRefused(response, "has too many pixels")

    @override_settings(FEEDBACK_MAX_IMAGE_PIXELS=1_000_000)
    def test_pixel_cap_is_a_setting(self):
        response = self.post(photos=[upload(jpeg_with_gps(1200, 1000))])
        self.assertRefused(response, "more than 1 megapixels")

    def test_errors_are_in_the_residents_language(self):
        self.client.cookies["django_language"] = "zh-hans"
        response = self.post(photos=[upload(b"", "empty.jpg")])
        self.assertRefused(response, "所提交的是空文件")
        self.client.cookies["django_language"] = "en"
        self.assertRefused(self.post(photos=[upload(b"", "empty.jpg")]), "file is empty")


class AbuseTests(SubmissionTestCase):
    def test_honeypot_gets_a_neutral_answer_and_nothing_is_stored(self):
        response = self.post(website="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Your message has been received.")
        self.assertNotContains(response, 'class="fb-code"')  # no code handed out
        self.assertEqual(Feedback.objects.count(), 0)

    @override_settings(FEEDBACK_MIN_FILL_SECONDS=3)
    def test_too_fast_is_a_bot(self):
        response = self.post()
        self.assertContains(response, "Your message has been received.")
        self.assertEqual(Feedback.objects.count(), 0)
        earlier = started_token(shown_at=time.time() - 10)
        self.assertEqual(self.post(started=earlier).status_code, 302)
        self.assertEqual(Feedback.objects.count(), 1)

    def test_a_start_token_sends_one_message_only(self):
        token = started_token()
        self.assertEqual(self.post(started=token, message="第一条：路灯坏了").status_code, 302)
        replayed = self.post(started=token, message="第二条：换个说法再来一次")
        self.assertContains(replayed, "This form has been sent once already")
        self.assertContains(replayed, "第二条：换个说法再来一次")  # nothing lost
        self.assertEqual(Feedback.objects.count(), 1)
        # The form that came back carries a fresh token: sending it works.
        fresh = replayed.context["form"].data["started"]
        self.assertNotEqual(fresh, token)
        self.post(started=fresh, message="第二条：换个说法再来一次")
        self.assertEqual(Feedback.objects.count(), 2)

    def test_a_form_from_before_the_upgrade_comes_back_filled_in(self):
        legacy = signing.dumps(time.time() - 10, salt=STARTED_SALT, compress=True)
        response = self.post(started=legacy, message="升级前打开的表单")
        self.assertContains(response, "Please check your message and send it again")
        self.assertContains(response, "升级前打开的表单")
        self.assertEqual(Feedback.objects.count(), 0)

    def test_forged_start_time_is_a_bot(self):
        """A forged token gets the bot's neutral answer, not the form back to try again."""
        response = self.post(started="12345:forged")
        self.assertContains(response, "Your message has been received.")
        self.assertNotContains(response, 'class="fb-form"')
        self.assertNotContains(response, "建议在公园东门增加自行车停放点")
        self.assertEqual(Feedback.objects.count(), 0)

    def test_stale_form_comes_back_with_the_text_instead_of_being_lost(self):
        response = self.post(started="", message="公园东门的路灯坏了三天了")
        self.assertContains(response, "Please check your message and send it again")
        self.assertContains(response, "公园东门的路灯坏了三天了")
        self.assertEqual(Feedback.objects.count(), 0)

    @override_settings(FEEDBACK_RATE_LIMIT=3, FEEDBACK_RATE_WINDOW_SECONDS=600)
    def test_rate_limit_per_ip_with_a_clear_try_again(self):
        for n in range(3):
            self.assertEqual(self.post(message=f"第{n}条建议：增加座椅").status_code, 302)
        response = self.post(message="第四条建议：增加座椅")
        self.assertRefusedKeepingOthers(response)
        self.assertContains(response, "Please try again in", status_code=429)
        self.assertContains(response, "第四条建议：增加座椅", status_code=429)
        # Another address is not affected.
        other = self.client.post(
            self.url, post_data(message="另一位居民的建议"), REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(other.status_code, 302)

    def assertRefusedKeepingOthers(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Feedback.objects.count(), 3)

    @override_settings(FEEDBACK_RATE_LIMIT=1, FEEDBACK_TRUSTED_PROXIES=1)
    def test_behind_a_proxy_the_forwarded_address_counts(self):
        first = self.client.post(
            self.url, post_data(message="甲的建议内容"), HTTP_X_FORWARDED_FOR="1.1.1.1"
        )
        second = self.client.post(
            self.url, post_data(message="乙的建议内容"), HTTP_X_FORWARDED_FOR="2.2.2.2"
        )
        third = self.client.post(
            self.url, post_data(message="甲的第二条建议"), HTTP_X_FORWARDED_FOR="1.1.1.1"
        )
        codes = (first.status_code, second.status_code, third.status_code)
        self.assertEqual(codes, (302, 302, 429))

    def test_identical_message_to_the_same_item_within_24h_is_stored_once(self):
        first = self.post(message="东门  需要 停车点")
        second = self.post(message="东门 需要 停车点 ")
        self.assertEqual(Feedback.objects.count(), 1)
        code = Feedback.objects.get().tracking_code
        self.assertTrue(second["Location"].startswith(f"/feedback/{code}/?duplicate"))
        self.assertTrue(first["Location"].endswith("?new=1"))
        self.assertContains(self.client.get(second["Location"]), "not stored twice")

    def test_same_message_after_24h_or_on_another_item_is_new(self):
        from datetime import timedelta

        from django.utils import timezone

        self.post(message="东门需要停车点")
        Feedback.objects.update(created_at=timezone.now() - timedelta(hours=25))
        self.post(message="东门需要停车点")
        other = make_item(number=38)
        self.client.post(
            reverse("feedback_new", args=[other.pk]), post_data(message="东门需要停车点")
        )
        self.assertEqual(Feedback.objects.count(), 3)

    def test_stale_csrf_token_brings_the_form_back_filled_in(self):
        """An item page served from a cache carries someone else's token: the post fails
        the CSRF check (nothing stored) and the resident gets the form back, text kept,
        with a fresh token that then works."""
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.cookies["django_language"] = "en"
        stale = {**post_data(message="路灯坏了三天了，请尽快修理"), "csrfmiddlewaretoken": "x" * 64}
        response = client.post(self.url, stale)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "this form had expired", status_code=403)
        self.assertContains(response, "路灯坏了三天了，请尽快修理", status_code=403)
        self.assertEqual(Feedback.objects.count(), 0)
        token = response.cookies["csrftoken"].value
        again = client.post(self.url, {**stale, "csrfmiddlewaretoken": token})
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Feedback.objects.count(), 1)
        # Other forms keep Django's plain CSRF failure.
        self.assertNotContains(
            Client(enforce_csrf_checks=True).post("/admin/login/", {}),
            "this form had expired",
            status_code=403,
        )

    def test_csrf_stays_on(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(self.url, post_data())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Feedback.objects.count(), 0)
        # The item page is shared (page cache): its script fetches the visitor's tokens.
        page = client.get(self.item.url).content.decode()
        token_url = re.search(r'data-token-url="([^"]+)"', page).group(1)
        tokens = client.get(token_url).json()
        response = client.post(self.url, {**post_data(), **tokens})
        self.assertEqual(response.status_code, 302)


class DisplayTests(SubmissionTestCase):
    """Published feedback and replies on the item page; nothing pending, nothing private."""

    def test_only_published_messages_show_newest_first_with_the_departments_answer(self):
        moderator = make_user("mod", "Feedback moderators")
        older = make_feedback(self.item, suffix="（较早）", name="张三", show_name=True)
        newer = make_feedback(self.item, suffix="（较新）")
        pending = make_feedback(self.item, suffix="（待审）")
        moderation.approve(older, moderator)
        moderation.approve(newer, moderator)
        moderation.reply(newer, moderator, "已安排，月底完成。")
        page = self.client.get(self.item.url).content.decode()
        self.assertIn(older.message, page)
        self.assertIn(newer.message, page)
        self.assertNotIn(pending.message, page)
        self.assertLess(page.index(newer.message), page.index(older.message))
        self.assertIn("已安排，月底完成。", page)
        self.assertIn(f"Answer from {self.item.department.name_en}", page)
        self.assertIn("张三", page)  # chose to show the name
        self.assertNotIn("王女士", page)  # the default: anonymous
        self.assertNotIn("13812345678", page)
        status = self.client.get(reverse("feedback_status", args=[newer.tracking_code]))
        self.assertContains(status, "已安排，月底完成。")
        self.assertContains(status, "Published")

    def test_rejected_status_page_does_not_show_the_reason(self):
        moderator = make_user("mod", "Feedback moderators")
        feedback = make_feedback(self.item)
        moderation.reject(feedback, moderator, "内部原因：涉及隐私")
        status = self.client.get(reverse("feedback_status", args=[feedback.tracking_code]))
        self.assertContains(status, "Not published")
        self.assertContains(status, "It still gets an answer on this page.")
        self.assertNotContains(status, "内部原因")
        self.assertContains(status, feedback.message)  # the resident's own words, to them


class RatingTests(SubmissionTestCase):
    def complete_item(self):
        from projects.models import ProjectPage

        ProjectPage.objects.filter(pk=self.item.pk).update(status=Status.COMPLETED, progress=100)

    def test_rating_only_for_a_completed_item(self):
        url = reverse("feedback_rate", args=[self.item.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(self.client.get(self.item.url), url)
        self.complete_item()
        self.assertContains(self.client.get(self.item.url), url)

    def test_ratings_average_and_count_once_published(self):
        self.complete_item()
        url = reverse("feedback_rate", args=[self.item.pk])
        moderator = make_user("mod", "Feedback moderators")
        for n, score in enumerate((5, 4, 2)):
            response = self.client.post(
                url,
                post_data(rating=str(score), comment="" if n else "很满意，设施很好"),
                REMOTE_ADDR=f"10.0.0.{n}",
            )
            self.assertEqual(response.status_code, 302)
        self.assertNotContains(self.client.get(self.item.url), "Satisfaction")
        for feedback in Feedback.objects.all()[:2]:
            moderation.approve(feedback, moderator)
        page = self.client.get(self.item.url)
        self.assertContains(page, "Satisfaction 3.0 of 5, from 2 ratings")

    def test_bad_rating_is_refused(self):
        self.complete_item()
        url = reverse("feedback_rate", args=[self.item.pk])
        for value in ("", "0", "6", "x"):
            response = self.client.post(url, post_data(rating=value))
            self.assertContains(response, "Please choose a score from 1 to 5.")
        self.assertEqual(Feedback.objects.count(), 0)


class ItemLifecycleTests(SubmissionTestCase):
    def test_feedback_survives_the_items_deletion_with_its_title(self):
        feedback = make_feedback(self.item)
        title = str(self.item)
        self.item.delete()
        feedback.refresh_from_db()
        self.assertIsNone(feedback.project)
        self.assertEqual(feedback.project_title, title)
        status = self.client.get(reverse("feedback_status", args=[feedback.tracking_code]))
        self.assertContains(status, title)

    def test_public_changes_announce_the_item_for_cache_purging(self):
        seen = []

        def receiver(sender, feedback, project, **kwargs):
            seen.append(project.pk)

        moderation.public_feedback_changed.connect(receiver)
        self.addCleanup(moderation.public_feedback_changed.disconnect, receiver)
        moderator = make_user("mod", "Feedback moderators")
        feedback = make_feedback(self.item)
        with self.captureOnCommitCallbacks(execute=True):
            moderation.approve(feedback, moderator)
            moderation.reply(feedback, moderator, "好的")
        self.assertEqual(seen, [self.item.pk, self.item.pk])


class QueryCountTests(SubmissionTestCase):
    """The feedback section costs the same number of queries for 1 or 8 messages with photos."""

    def publish_with_photos(self, count, moderator):
        from projects.feedback.privacy import sanitise_photo

        for n in range(count):
            photos = [sanitise_photo(upload(jpeg_with_gps(120, 90))) for _ in range(2)]
            feedback = make_feedback(self.item, suffix=f"#{n}", photos=photos)
            moderation.approve(feedback, moderator)
            moderation.reply(feedback, moderator, "答复")

    def queries(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)  # make the renditions once
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def test_item_page_queries_do_not_grow_with_feedback(self):
        moderator = make_user("mod", "Feedback moderators")
        self.publish_with_photos(1, moderator)
        few = self.queries(self.item.url)
        self.publish_with_photos(7, moderator)
        self.assertEqual(self.queries(self.item.url), few)
