"""Staff sign-in: failed sign-ins are limited per account and per address (django-axes), the
page says locked and until when without telling which accounts exist, administrators unlock,
sign-in events reach Wagtail's audit log, and staff sessions expire when idle."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import override_settings
from wagtail.models import ModelLogEntry

from portal.signin.session import SEEN
from tests.two_factor_support import give_device, next_code

LOGIN = "/admin/login/"
LOCKED = "Too many failed sign-ins"


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", "admin@example.cn", "right-password")


@pytest.fixture
def chief(db):
    return User.objects.create_superuser("chief", "chief@example.cn", "chief-password")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def error_text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_thirty_wrong_passwords_then_the_right_one_stays_locked(client, admin_user):
    answers = [sign_in(client, "admin", f"guess{n}") for n in range(30)]
    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert all(a.status_code == 429 for a in answers[4:]), "locked from the fifth failure"
    right = sign_in(client, "admin", "right-password")
    assert right.status_code == 429
    text = error_text(right)
    assert LOCKED in text
    assert re.search(r"locked until \d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert "ask an administrator" in text
    assert "_auth_user_id" not in client.session


def test_unknown_account_and_wrong_password_read_the_same(client, admin_user):
    def page(username):
        answers = [sign_in(client, username, "nope", address="203.0.113.9") for _ in range(6)]
        return [
            (a.status_code, re.search(r"Sign in to Wagtail(.*?)Username", error_text(a))[1])
            for a in answers
        ]

    known = page("admin")
    AccessAttempt.objects.all().delete()
    unknown = page("nobody-here")
    assert known == unknown
    assert "match. Please try again" in known[0][1]
    assert LOCKED in known[-1][1]


def test_another_address_is_not_locked_out(client, admin_user):
    for n in range(6):
        sign_in(client, "admin", f"guess{n}")
    response = sign_in(client, "admin", "right-password", address="203.0.113.50")
    assert response.status_code == 302


@override_settings(SIGNIN_ADDRESS_FAILURE_LIMIT=8)
def test_one_address_spraying_many_accounts_is_locked(client, admin_user):
    for n in range(8):
        sign_in(client, f"user{n}", "password1")
    response = sign_in(client, "admin", "right-password")
    assert response.status_code == 429
    assert LOCKED in error_text(response)


def test_a_success_forgets_only_its_own_failures(client, admin_user, chief):
    for n in range(3):
        sign_in(client, "chief", f"guess{n}")
        sign_in(client, "admin", f"guess{n}")
    assert sign_in(client, "admin", "right-password").status_code == 302
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"chief"}


def test_an_administrator_unlocks_from_the_admin(client, admin_user, chief):
    for n in range(30):
        sign_in(client, "admin", f"guess{n}")
    client.force_login(chief)
    home = client.get("/admin/").content.decode()
    assert "/admin/sign-in-locks/" in home, "in the Settings menu for superusers"
    page = client.get("/admin/sign-in-locks/")
    html = page.content.decode()
    assert "admin" in html and "198.51.100.7" in html
    response = client.post("/admin/sign-in-locks/unlock/", {"username": "admin"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert sign_in(client, "admin", "right-password").status_code == 302


def test_only_superusers_see_or_use_the_unlock_page(client, db):
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "/admin/sign-in-locks/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/sign-in-locks/").status_code in (302, 403)
    assert client.post("/admin/sign-in-locks/unlock/", {"ip_address": "1.2.3.4"}).status_code in (
        302,
        403,
    )


def test_sign_in_events_are_in_the_audit_log(client, admin_user, chief):
    sign_in(client, "admin", "wrong")
    for n in range(4):
        sign_in(client, "admin", f"guess{n}")
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(admin_user.pk)).values_list("action", flat=True)
    )
    assert actions.count("portal.signin.failed") == 5
    assert "portal.signin.locked" in actions
    client.force_login(chief)
    client.post("/admin/sign-in-locks/unlock/", {"username": "admin"})
    client.post("/admin/logout/")
    sign_in(client, "admin", "right-password")
    client.post("/admin/logout/")
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(admin_user.pk)).values_list("action", flat=True)
    )
    for action in ("unlocked", "login", "logout"):
        assert f"portal.signin.{action}" in actions
    client.force_login(chief)
    history = client.get("/admin/reports/site-history/")
    assert "Sign-in locked after too many failures" in history.content.decode()


def test_residents_get_no_session_and_staff_sessions_renew_when_idle(client, admin_user, settings):
    response = client.get("/admin/login/")
    assert "sessionid" not in response.cookies
    device = give_device(admin_user)
    assert sign_in(client, "admin", "right-password").status_code == 302
    assert client.post("/admin/two-step/", {"code": next_code(device)}).status_code == 302
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    session = client.session
    seen = session[SEEN]
    assert client.get("/admin/").status_code == 200
    assert client.session[SEEN] == seen, "not written again within a minute"
    session[SEEN] = int(time.time()) - 120
    session.save()
    response = client.get("/admin/")
    assert client.session[SEEN] > seen - 120
    assert "sessionid" in response.cookies, "expiry renewed"
