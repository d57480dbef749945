"""The URL coverage check itself (tests/url_coverage.py): what it counts as ours, and that a
request made in a test is recorded under the route the URLconf spells."""

from django.urls import reverse

from tests import url_coverage


def test_ours_are_the_public_urls_our_admin_screens_and_our_models_viewsets():
    routes = url_coverage.our_routes()
    for ours in (
        "search/",
        "feedback/new/<int:page_id>/",
        "sitemap.xml",
        "documents/(\\d+)/(.*)$",  # Wagtail's, but public: residents follow document links
        "admin/editorial/report/",
        "admin/sign-in-locks/",
        "admin/pages/<int:parent_page_id>/",  # our explorer, in front of Wagtail's
        "admin/snippets/projects/category/copy/<int:pk>/",
        "admin/department-editors/usage/<int:pk>/",
        "admin/images/item-chooser/chosen/<str:pk>/",
    ):
        assert ours in routes, ours
    for wagtails in (
        "admin/pages/<int:page_id>/edit/",
        "admin/users/",
        "admin/images/",
        "admin/login/",
        # A chooser without a creation form: Wagtail registers the URL, nothing links to it.
        "admin/snippets/choose/projects/category/create/",
    ):
        assert wagtails not in routes, wagtails


def test_a_request_is_recorded_under_its_route_and_an_anonymous_admin_visit_is_not_enough(
    client, roles
):
    # Start from nothing, and give the session its record back afterwards.
    saved = set(url_coverage.touched_routes)
    url_coverage.touched_routes.clear()
    try:
        client.get(reverse("search"), {"q": "公园"})
        client.get(reverse("editorial:monthly_report"))  # anonymous: the sign-in redirect
        assert "search/" not in url_coverage.untouched_routes()
        assert "admin/editorial/report/" in url_coverage.untouched_routes()

        client.force_login(roles["reviewer"])
        client.get(reverse("editorial:monthly_report"))
        assert "admin/editorial/report/" not in url_coverage.untouched_routes()
    finally:
        url_coverage.touched_routes.update(saved)


def test_our_commands_are_the_portal_and_projects_ones():
    commands = url_coverage.our_commands()
    assert {"refresh_schedules", "load_demo", "import_items"} <= set(commands)
    assert "migrate" not in commands and "publish_scheduled" not in commands
