"""Two-step verification for staff: administrators, reviewers and feedback moderators cannot
reach the admin without setting it up and entering a code after their password; a wrong or
reused code is refused and counts as a failed sign-in; editors may turn it on; administrators
reset a lost phone; the audit log records it all; the sign-in page tells no account apart."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from tests.conftest import make_user
from tests.two_factor_support import code_for_secret, give_device, next_code

LOGIN = "/admin/login/"
HOME = "/admin/"
VERIFY = "/admin/two-step/"
ENROL = "/admin/two-step/set-up/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def staff(db):
    return {
        "admin": make_user("admin", superuser=True, language="en"),
        "reviewer": make_user("reviewer", "Reviewers", language="en"),
        "moderator": make_user("moderator", "Feedback moderators", language="en"),
        "editor": make_user("editor", "Editors", language="en"),
    }


def sign_in(client, username, password="pw"):
    return client.post(LOGIN, {"username": username, "password": password, "next": HOME})


def text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def enter(client, code):
    return client.post(VERIFY, {"code": code, "next": HOME})


def actions(user):
    return list(
        ModelLogEntry.objects.filter(object_id=str(user.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize("role", ["admin", "reviewer", "moderator"])
def test_required_roles_cannot_reach_the_dashboard_without_setting_it_up(client, staff, role):
    assert sign_in(client, role).status_code == 302
    for path in [HOME, "/admin/pages/", "/admin/account/", "/admin/feedback/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(ENROL), (path, response["Location"])
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Set up two-step verification" in text(page)
    assert "publish or see residents' contact details" in text(page)
    assert TOTPDevice.objects.count() == 0, "nothing stored before the first code matches"


def test_setting_up_with_the_secret_shown_then_the_dashboard(client, staff):
    sign_in(client, "moderator")
    page = client.get(ENROL).content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1]
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="QR code', page)
    assert client.get(ENROL).content.decode().count(secret) == 1, "reloading keeps the secret"

    wrong = client.post(ENROL, {"code": "000000", "next": HOME})
    assert "That code does not match" in text(wrong)
    assert not TOTPDevice.objects.exists()

    done = client.post(ENROL, {"code": code_for_secret(secret), "next": HOME})
    assert done.status_code == 302 and "/backup-codes/" in done["Location"]
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<code>([0-9a-f]{8})</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert "shown only now" in text(codes_page)
    assert client.get(done["Location"]).status_code == 302, "backup codes are shown once"
    assert client.get(HOME).status_code == 200
    assert "portal.signin.two_factor_enrolled" in actions(staff["moderator"])


def test_a_valid_code_lets_in_a_wrong_one_does_not(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = give_device(staff["reviewer"])
    sign_in(client, "reviewer")
    assert client.get(HOME)["Location"].startswith(VERIFY)

    wrong = enter(client, "123456" if next_code(device) != "123456" else "654321")
    assert wrong.status_code == 200
    assert "That code is not right" in text(wrong)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert "portal.signin.code_failed" in actions(staff["reviewer"])
    assert AccessAttempt.objects.filter(username="reviewer").exists(), "counted by django-axes"

    right = enter(client, next_code(device))
    assert right.status_code == 302 and right["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_followed_by_a_pause(client, staff):
    device = give_device(staff["admin"])
    sign_in(client, "admin")
    enter(client, "000000" if next_code(device) != "000000" else "111111")
    paused = enter(client, next_code(device))
    assert "wait a minute" in text(paused)
    assert client.get(HOME).status_code == 302


def test_a_code_used_once_is_refused_the_second_time(client, staff):
    device = give_device(staff["moderator"])
    sign_in(client, "moderator")
    code = next_code(device)
    assert enter(client, code).status_code == 302
    assert client.get(HOME).status_code == 200

    client.post("/admin/logout/")
    sign_in(client, "moderator")
    replayed = enter(client, code)
    assert "That code is not right, or was used already" in text(replayed)
    assert client.get(HOME)["Location"].startswith(VERIFY)


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_wrong_codes_lock_the_account_like_wrong_passwords(client, staff):
    give_device(staff["admin"])
    sign_in(client, "admin")
    answers = [enter(client, f"00000{n}") for n in range(5)]
    assert [a.status_code for a in answers] == [200] * 4 + [429]
    assert "Too many failed sign-ins" in text(answers[-1])
    assert "_auth_user_id" not in client.session, "signed out"
    assert sign_in(client, "admin").status_code == 429, "the password alone is locked too"


def test_a_backup_code_works_once(client, staff):
    sign_in(client, "reviewer")
    page = client.get(ENROL).content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1]
    done = client.post(ENROL, {"code": code_for_secret(secret), "next": HOME})
    codes = re.findall(r"<code>([0-9a-f]{8})</code>", client.get(done["Location"]).content.decode())
    client.post("/admin/logout/")

    sign_in(client, "reviewer")
    assert enter(client, codes[3].upper()).status_code == 302
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.count() == 9
    client.post("/admin/logout/")
    sign_in(client, "reviewer")
    with override_settings(OTP_STATIC_THROTTLE_FACTOR=0):
        assert "That code is not right" in text(enter(client, codes[3]))


def test_editors_may_set_it_up_and_are_then_asked(client, staff):
    sign_in(client, "editor")
    assert client.get(HOME).status_code == 200, "an editor without a device is let in"
    account = text(client.get("/admin/account/"))
    assert "Two-step verification is off" in account
    assert "Set up two-step verification" in account
    page = client.get(ENROL)
    assert "publish or see residents' contact details" not in text(page)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page.content.decode())[1]
    client.post(ENROL, {"code": code_for_secret(secret), "next": HOME})
    assert "Two-step verification is on. 10 backup codes" in text(client.get("/admin/account/"))

    client.post("/admin/logout/")
    sign_in(client, "editor")
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_an_administrator_resets_a_lost_phone(client, staff):
    give_device(staff["moderator"])
    client.force_login(staff["admin"])
    listing = client.get("/admin/two-step/accounts/")
    assert listing.status_code == 200
    row = re.search(r"<tr>\s*<td>moderator</td>(.*?)</tr>", listing.content.decode(), re.S)[1]
    assert "Reset two-step verification of moderator" in row
    reset = client.post(f"/admin/two-step/accounts/{staff['moderator'].pk}/reset/")
    assert reset.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff["moderator"]).exists()
    entry = ModelLogEntry.objects.get(action="portal.signin.two_factor_reset")
    assert entry.object_id == str(staff["moderator"].pk) and entry.user_id == staff["admin"].pk

    client.post("/admin/logout/")
    sign_in(client, "moderator")
    assert client.get(HOME)["Location"].startswith(ENROL), "set up again at the next sign-in"


def test_only_administrators_reset(client, staff):
    give_device(staff["editor"])
    client.force_login(staff["reviewer"])
    assert "/admin/two-step/accounts/" not in client.get(HOME).content.decode()
    refused = client.get("/admin/two-step/accounts/", follow=True)
    assert "Sorry, you do not have permission" in text(refused)
    assert "Reset two-step verification of" not in refused.content.decode()
    client.post(f"/admin/two-step/accounts/{staff['editor'].pk}/reset/")
    assert TOTPDevice.objects.filter(user=staff["editor"]).exists()


def test_the_sign_in_page_tells_no_account_apart(client, staff):
    give_device(staff["admin"])

    def answer(username, password):
        response = sign_in(client, username, password)
        AccessAttempt.objects.all().delete()
        client.cookies.pop("sessionid", None)
        said = re.search(r"Sign in to Wagtail(.*?)Username", text(response))
        return response.status_code, response.get("Location"), said and said[1]

    wrong = {name: answer(name, "nope") for name in ["admin", "editor", "nobody-here"]}
    assert len(set(wrong.values())) == 1, wrong
    assert "match. Please try again" in wrong["admin"][2]
    right = {name: answer(name, "pw") for name in ["admin", "reviewer", "editor"]}
    assert set(right.values()) == {(302, HOME, None)}, "the code is asked only after the password"


def test_code_made_sessions_are_trusted_only_when_the_test_settings_say_so(client, staff):
    client.force_login(staff["moderator"])
    assert client.get(HOME).status_code == 200
    with override_settings(SIGNIN_TWO_FACTOR_TRUST_CODE_LOGINS=False):
        assert client.get(HOME)["Location"].startswith(ENROL)


def test_turned_off_for_development(client, staff):
    with override_settings(SIGNIN_TWO_FACTOR=False):
        sign_in(client, "admin")
        assert client.get(HOME).status_code == 200


def test_residents_are_untouched(client, staff):
    response = client.get("/admin/two-step/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert User.objects.count() == 4


def test_bad_input_gets_a_message_not_an_error(client, staff):
    give_device(staff["moderator"])
    sign_in(client, "moderator")
    for code in ["", "x" * 5000, "１２３４５６", "12 34 56\x00", "<script>"]:
        response = enter(client, code)
        assert response.status_code == 200, code
        assert 'role="alert"' in response.content.decode(), code
    client.post("/admin/logout/")
    sign_in(client, "reviewer")
    for code in ["", "y" * 5000, "abcdef"]:
        response = client.post(ENROL, {"code": code})
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert client.get(f"{VERIFY}?next=https://evil.example/").status_code == 302
    assert "evil" not in client.get(f"{VERIFY}?next=https://evil.example/")["Location"]
