"""Staff accounts: password resets cannot be used to flood a mailbox or probe for accounts."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import make_user

RESET_URL = "/admin/password_reset/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return make_user("editor", email="li-si@zhao-qing.gov.cn")


def test_five_resets_for_one_account_send_three_emails(client, editor):
    answers = [client.post(RESET_URL, {"email": editor.email}) for _ in range(5)]
    assert len(mail.outbox) == 3
    assert all(message.to == [editor.email] for message in mail.outbox)
    # Every answer is the same "check your e-mail" redirect: nothing says the limit was hit.
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, "/admin/password_reset/done/")
    }


def test_the_limit_does_not_care_about_capitals(client, editor):
    for address in ("li-si@zhao-qing.gov.cn", "LI-SI@zhao-qing.gov.cn", "Li-Si@Zhao-Qing.gov.cn"):
        client.post(RESET_URL, {"email": address})
    client.post(RESET_URL, {"email": "li-si@ZHAO-QING.GOV.CN"})
    assert len(mail.outbox) == 3


@override_settings(PASSWORD_RESET_LIMIT_PER_IP=4)
def test_one_client_cannot_spray_every_address(client, db):
    for n in range(6):
        make_user(f"staff{n}")
        client.post(RESET_URL, {"email": f"staff{n}@example.cn"}, REMOTE_ADDR="198.51.100.7")
    assert len(mail.outbox) == 4
    # Someone else, elsewhere, still gets their e-mail.
    client.post(RESET_URL, {"email": "staff5@example.cn"}, REMOTE_ADDR="203.0.113.9")
    assert len(mail.outbox) == 5


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, editor):
    response = client.post(RESET_URL, {"email": "nobody@example.cn"})
    assert (response.status_code, response["Location"]) == (302, "/admin/password_reset/done/")
    assert mail.outbox == []
