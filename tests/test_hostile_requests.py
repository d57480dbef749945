"""Requests a browser would not normally send, and what the site answers: in its own look and
language, never a 500, with cookies scripts cannot read."""

import pytest
from django.test import Client

from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory
from projects.models import Feedback

LATIN_1_FORM = "application/x-www-form-urlencoded; charset=latin-1"


@pytest.fixture
def item(db):
    year = ProjectIndexPageFactory(parent=ensure_home_page(), year=2022)
    return ProjectPageFactory(parent=year, number=7, title="将军山体育公园")


@pytest.fixture
def browser_client():
    """A client that checks CSRF as a browser's request is checked, with a token cookie."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "x" * 32
    return client


def test_a_form_posted_in_a_foreign_charset_gets_a_400_page_not_a_500(item, browser_client):
    body = "csrfmiddlewaretoken=%E9%E9&message=%C9cole+fermee&kind=question&consent=on"
    for url in (
        "/admin/login/",
        "/care-mode/",
        "/i18n/setlang/",
        "/feedback/track/",
        f"/feedback/new/{item.pk}/",
        f"/feedback/rate/{item.pk}/",
    ):
        response = browser_client.post(url, data=body, content_type=LATIN_1_FORM)
        assert response.status_code == 400, url
        page = response.content.decode()
        assert "无法识别" in page, url  # our page, in Chinese
        assert 'href="/"' in page
    assert Feedback.objects.count() == 0


def test_a_missing_item_gets_the_404_page_with_the_site_header(item, client):
    response = client.get("/2022/999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert 'class="site-header"' in page


def test_every_cookie_the_public_site_sets_is_httponly(item, client):
    client.get(f"/2022/{item.number}/")
    client.get("/feedback/form-tokens/")  # what the item page's form fetches: sets csrftoken
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookies = {**client.cookies, **response.cookies}
    assert {"csrftoken", "django_language"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["httponly"], name


@pytest.mark.parametrize(
    "url",
    [
        "/feedback/%00/",
        "/feedback/ABCD%00EFGH/",
        "/2022/%00/",
        "/no-such-page%00/",
        "/search/?q=%00",
        "/2022/?district=%00&q=%E8%B7%AF%00",
        "/map/?year=2022%00",
    ],
)
def test_a_nul_character_in_the_url_is_a_400_on_every_database(item, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "无法识别" in response.content.decode()


def test_a_cookie_with_a_nul_character_is_ignored(item, client):
    client.cookies["sessionid"] = "abc\x00def12345"
    client.cookies["django_language"] = "en\x00"
    response = client.get(f"/2022/{item.number}/")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.parametrize("query", ["1²", "1①", "٣", "７", "9" * 30])
def test_searching_with_unusual_digits_shows_a_results_page_not_an_error(item, client, query):
    for url in ("/search/", "/2022/", "/map/"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, url


def test_searching_for_an_item_number_still_finds_the_item(item, client):
    response = client.get("/search/", {"q": "7"})
    assert "将军山体育公园" in response.content.decode()
