"""What residents meet when an editor uses Wagtail's privacy settings or links a document: a page
kept behind a password or a sign-in, a document downloaded from its link, and a document in a
password-protected collection. Wagtail's views (/_util/, /documents/), on our site."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return ProjectIndexPageFactory(parent=ensure_home_page(), year=2022, title="2022年民生实事")


def test_a_password_protected_page_opens_with_the_password(client, year):
    restriction = PageViewRestriction.objects.create(
        page=year, restriction_type=PageViewRestriction.PASSWORD, password="minsheng"
    )
    asked = client.get(year.url)
    assert "2022年民生实事" not in asked.content.decode()
    action = f"/_util/authenticate_with_password/{restriction.pk}/{year.pk}/"
    assert action in asked.content.decode()

    wrong = client.post(action, {"password": "guess", "return_url": year.url})
    assert wrong.status_code == 200  # the form again, the page still closed
    assert "2022年民生实事" not in client.get(year.url).content.decode()

    right = client.post(action, {"password": "minsheng", "return_url": year.url})
    assert right.status_code == 302 and right["Location"] == year.url
    assert "2022年民生实事" in client.get(year.url).content.decode()


def test_a_page_for_signed_in_users_sends_a_resident_to_sign_in_first(client, year):
    PageViewRestriction.objects.create(page=year, restriction_type=PageViewRestriction.LOGIN)
    sent = client.get(year.url)
    assert sent.status_code == 302
    assert sent["Location"].startswith("/_util/login/?next=")
    form = client.get(sent["Location"]).content.decode()
    assert 'name="username"' in form and 'name="password"' in form

    make_user("clerk")
    signed_in = client.post(
        sent["Location"], {"username": "clerk", "password": PASSWORD, "next": year.url}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == year.url
    assert "2022年民生实事" in client.get(year.url).content.decode()


def make_document(title, collection=None):
    document = get_document_model()(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save("budget.csv", ContentFile("项目,预算\n体育公园,100\n".encode()), save=True)
    return document


def test_a_linked_document_downloads(client):
    document = make_document("2022年预算表")
    response = client.get(document.url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "体育公园,100" in body.decode()


def test_a_document_in_a_protected_collection_needs_its_password(client):
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="neibu",
    )
    document = make_document("内部预算表", collection)
    asked = client.get(document.url)
    action = f"/documents/authenticate_with_password/{restriction.pk}/"
    assert action in asked.content.decode()
    assert "体育公园,100" not in asked.content.decode()

    right = client.post(action, {"password": "neibu", "return_url": document.url})
    assert right.status_code == 302 and right["Location"] == document.url
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "体育公园,100" in body.decode()
