"""The reference lists (categories, departments, districts, search synonyms) through every admin
screen an administrator meets: the list and its search, add, edit, copy, where a row is used,
delete, history, and the choosers the item editor opens to pick one."""

import json

import pytest
from django.urls import reverse

from portal.setup import ensure_home_page
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.models import Category, Department, District, SearchSynonym

# model, how to make a row, the form a person fills in for a new one, its text field to edit,
# and which field of ProjectPage points at it (None: items do not refer to it).
LISTS = {
    "category": (
        Category,
        lambda: CategoryFactory(name="公园绿地", name_en="Parks", slug="parks"),
        {"name": "养老服务", "name_en": "Elderly care", "slug": "elderly", "sort_order": "3",
         "colour": "#1d6fa5", "icon": ""},
        "name",
        "category",
    ),
    "department": (
        Department,
        lambda: DepartmentFactory(name="区文旅局", name_en="Culture Bureau", slug="culture"),
        {"name": "区民政局", "name_en": "Civil Affairs Bureau", "slug": "civil", "sort_order": "1",
         "short_name": "民政"},
        "name",
        "department",
    ),
    "district": (
        District,
        lambda: DistrictFactory(name="大旺街道", name_en="Dawang", slug="dawang"),
        {"name": "城中街道", "name_en": "Chengzhong", "slug": "chengzhong", "sort_order": "2"},
        "name",
        "district",
    ),
    "searchsynonym": (
        SearchSynonym,
        lambda: fresh_synonym_list() or SearchSynonym.objects.create(term="洗牙", related="口腔"),
        {"term": "修车棚", "related": "车棚、充电桩", "suggested": "on"},
        "term",
        None,
    ),
}  # fmt: skip
pytestmark = pytest.mark.parametrize("kind", LISTS)


def fresh_synonym_list():
    """Empty the synonyms the migration seeds (projects/search/synonyms.txt): eighty of them
    would push the test's rows off the list's first page."""
    SearchSynonym.objects.all().delete()


@pytest.fixture
def admin_client(client, roles):
    client.force_login(roles["admin"])
    return client


def url(kind, view, *args):
    return reverse(f"wagtailsnippets_projects_{kind}:{view}", args=args)


def chooser_url(kind, view, *args):
    return reverse(f"wagtailsnippetchoosers_projects_{kind}:{view}", args=args)


def label(obj):
    return str(obj)


def test_the_list_shows_the_rows_and_its_search_finds_one(admin_client, kind):
    model, make, new, field, _ = LISTS[kind]
    row = make()
    other = model.objects.create(**{**new, "suggested": True} if kind == "searchsynonym" else new)
    page = admin_client.get(url(kind, "list")).content.decode()
    assert label(row) in page and label(other) in page
    # The search box refreshes only the results, through the results URL.
    results = admin_client.get(url(kind, "list_results"), {"q": label(row)}).content.decode()
    assert label(row) in results
    assert label(other) not in results


def test_a_new_row_is_added_from_the_form(admin_client, kind):
    model, _make, new, field, _ = LISTS[kind]
    assert admin_client.get(url(kind, "add")).status_code == 200
    response = admin_client.post(url(kind, "add"), new)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.objects.filter(**{field: new[field]}).exists()


def test_editing_a_row_changes_it_and_its_history_says_who(admin_client, roles, kind):
    model, make, new, field, _ = LISTS[kind]
    row = make()
    form = admin_client.get(url(kind, "edit", row.pk)).content.decode()
    assert label(row) in form
    renamed = "新名称" if field == "name" else "洁牙"
    data = {**new, field: renamed}
    if kind != "searchsynonym":
        data["slug"] = row.slug
    response = admin_client.post(url(kind, "edit", row.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert getattr(row, field) == renamed

    history = admin_client.get(url(kind, "history", row.pk)).content.decode()
    assert "Edited" in history and roles["admin"].username in history
    results = admin_client.get(url(kind, "history_results", row.pk)).content.decode()
    assert "Edited" in results


def test_copy_starts_a_new_row_from_an_existing_one(admin_client, kind):
    model, make, _new, field, _ = LISTS[kind]
    row = make()
    before = model.objects.count()
    form = admin_client.get(url(kind, "copy", row.pk)).content.decode()
    # The form comes filled in with the original's values, to be changed before saving.
    other_value = row.related if kind == "searchsynonym" else row.name_en
    assert f'value="{getattr(row, field)}"' in form
    assert other_value in form
    assert model.objects.count() == before


def test_usage_lists_the_items_that_use_a_row_and_delete_removes_an_unused_one(admin_client, kind):
    model, make, new, field, item_field = LISTS[kind]
    row = make()
    if item_field:
        year = ProjectIndexPageFactory(parent=ensure_home_page(), year=2022)
        ProjectPageFactory(parent=year, title="社区长者饭堂", **{item_field: row})
    usage = admin_client.get(url(kind, "usage", row.pk)).content.decode()
    if item_field:
        assert "社区长者饭堂" in usage
    else:
        assert "社区长者饭堂" not in usage and label(row) in usage

    unused = model.objects.create(**{**new, "suggested": False} if kind == "searchsynonym" else new)
    confirm = admin_client.get(url(kind, "delete", unused.pk)).content.decode()
    assert label(unused) in confirm
    response = admin_client.post(url(kind, "delete", unused.pk))
    assert response.status_code == 302
    assert not model.objects.filter(pk=unused.pk).exists()
    assert model.objects.filter(pk=row.pk).exists()


def test_the_chooser_lists_searches_picks_and_creates_rows(admin_client, kind):
    model, make, new, field, _ = LISTS[kind]
    row = make()
    second = model.objects.create(**{**new, "suggested": False} if kind == "searchsynonym" else new)

    chooser = json.loads(admin_client.get(chooser_url(kind, "choose")).content)
    assert label(row) in chooser["html"] and label(second) in chooser["html"]
    results = admin_client.get(chooser_url(kind, "choose_results"), {"q": label(second)})
    results = results.content.decode()
    assert label(second) in results
    if kind == "searchsynonym":
        # Synonyms are not in the search index: their chooser has no search box, and its
        # results (the next page of the list) show every row.
        assert label(row) in results
    else:
        assert label(row) not in results

    chosen = json.loads(admin_client.get(chooser_url(kind, "chosen", row.pk)).content)
    assert chosen["step"] == "chosen"
    assert chosen["result"]["string"] == label(row)
    both = admin_client.get(chooser_url(kind, "chosen_multiple") + f"?id={row.pk}&id={second.pk}")
    both = json.loads(both.content)
    assert sorted(result["string"] for result in both["result"]) == sorted(
        [label(row), label(second)]
    )

    # The named lists add rows from their own form, not from the chooser: it offers no "Create"
    # tab (Wagtail still registers the chooser's create URL; tests/url_coverage.py skips it).
    assert 'id="tab-create"' not in chooser["html"]
