"""Nothing anyone types crashes the portal or is stored when it is not a message (issue 9).

Every public GET parameter gets each value of a table (`BATTERY`) alone, every admin search
box a few queries; then hypothesis combines, per URL, the public GET parameters, the public
POST forms and the admin URLs editors, reviewers and moderators use, with values no form
would produce: Unicode digits, NUL, control and invisible characters, 100 KB values, foreign
charsets and invalid UTF-8, wrong types, repeated keys, SQL and HTML metacharacters. No
answer may be a 5xx, and a feedback or rating post is stored only when it is a readable
message sent with consent, exactly as typed.

Parameter and field names are found at test time (the filter sets and form classes, and the
forms on the pages themselves), so a parameter added later is fuzzed without touching this
file. Runs are bounded and derandomized (the same cases on every run and both databases);
the counts are printed at the end of the session (tests/conftest.py).
"""

import itertools
import re
import traceback
import unicodedata
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.setup import ensure_home_page
from projects.choices import Status
from projects.factories import (
    CategoryFactory,
    DepartmentFactory,
    DistrictFactory,
    ImageFactory,
    ProgressUpdatePageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from projects.feedback.forms import FeedbackForm, RatingForm, started_token
from projects.feedback.viewsets import FeedbackFilterSet
from projects.filters import ProjectFilter
from projects.follow.forms import FollowForm
from projects.models import Feedback, ProjectPage
from tests.conftest import make_user
from tests.feedback_support import make_feedback
from tests.fuzz_support import (
    BATTERY,
    CHARSETS,
    HOSTILE,
    HOSTILE_KEYS,
    TALLY,
    Verbatim,
    as_text,
    forms_on,
    urlencode_pairs,
)

FUZZ = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ADDRESSES = (f"10.9.{n // 250}.{n % 250 + 1}" for n in itertools.count())


# -- the world the requests land in -----------------------------------------------------------


@pytest.fixture
def world(db):
    home = ensure_home_page()
    year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 7, 1))
    dept_a = DepartmentFactory(slug="education-bureau", name="区教育局")
    dept_b = DepartmentFactory(slug="urban-works", name="区住建局")
    category = CategoryFactory(slug="parks", name="公园绿化")
    district = DistrictFactory(slug="dawang", name="大旺街道")
    item = ProjectPageFactory(
        parent=year,
        number=7,
        title="将军山体育公园建设",
        department=dept_a,
        category=category,
        district=district,
    )
    finished = ProjectPageFactory(
        parent=year, number=12, title="老旧小区加装电梯", department=dept_b, progress=100
    )
    ProjectPage.objects.filter(pk=finished.pk).update(status=Status.COMPLETED, progress=100)
    update = ProgressUpdatePageFactory(parent=item, title="主体完工")
    ImageFactory(title="将军山工地")
    feedback = make_feedback(item)
    Feedback.objects.filter(pk=feedback.pk).update(routed_to=dept_a)
    return {
        "year": year,
        "item": item,
        "finished": finished,
        "update": update,
        "feedback": feedback,
        "editor": make_user("editor", "Editors", departments=[dept_a], language="en"),
        "reviewer": make_user("reviewer", "Reviewers", language="en"),
        "moderator": make_user("moderator", "Feedback moderators", language="en"),
        "slugs": ["education-bureau", "urban-works", "parks", "dawang"],
    }


# -- sending and judging ----------------------------------------------------------------------


class Crashes:
    """Tracebacks of the exceptions behind 500 answers (the client only sees the status)."""

    def __init__(self):
        self.last = ""
        got_request_exception.connect(self.caught)

    def caught(self, sender, request=None, **kwargs):
        self.last = traceback.format_exc()

    def close(self):
        got_request_exception.disconnect(self.caught)


@pytest.fixture
def crashes():
    crashes = Crashes()
    yield crashes
    crashes.close()


def send(client, crashes, target, method, *args, **kwargs):
    """One request; fails on a 5xx with the request and the traceback. A request that broke
    the database transaction (PostgreSQL) is rolled back so the next one starts clean."""
    crashes.last = ""
    savepoint = transaction.savepoint()
    response = getattr(client, method)(*args, REMOTE_ADDR=next(ADDRESSES), **kwargs)
    TALLY.record(target, response.status_code)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    assert response.status_code < 500, (
        f"{method.upper()} {repr(args)[:300]} {repr(kwargs)[:600]} → {response.status_code}\n"
        f"{crashes.last}"
    )
    return response


def values_offered(forms):
    """Field name → values the page offers, over all `forms`. CSRF tokens are left out: they
    differ on every run and would make the drawn cases differ too."""
    offered = {}
    for form in forms:
        for name, values in form.fields.items():
            if not name.startswith("csrf"):
                offered.setdefault(name, set()).update(values)
    return offered


def filter_parameters(filterset_class):
    """The GET parameter names of a filter set: a range filter takes two (`_after`, `_before`)."""
    names = []
    for name, field in filterset_class().form.fields.items():
        widget = field.widget
        suffixes = getattr(widget, "suffixes", None)
        if suffixes:
            names.extend(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
        else:
            names.append(name)
    return names


def values(valid=()):
    """A value for a parameter: hostile, arbitrary text or bytes, or one that is valid."""
    options = [
        st.sampled_from(HOSTILE),
        st.text(st.characters(exclude_characters="\x00"), max_size=12),  # NUL is in HOSTILE
        st.binary(max_size=6).filter(lambda b: b"\x00" not in b),
        st.builds(
            lambda a, b: a + b,
            st.sampled_from(sorted(valid) or ["7"]),
            st.sampled_from([v for v in HOSTILE if isinstance(v, str)]),
        ),
    ]
    if valid:
        options.append(st.sampled_from(sorted(valid)))
    return st.one_of(*options)


def pairs_for(names, offered):
    """Repeated keys allowed: a list of (name, value) pairs, mostly known names."""
    valid = set().union(*offered.values()) if offered else set()
    pair = st.one_of(
        st.sampled_from(sorted(names)).flatmap(
            lambda name: st.tuples(st.just(name), values(offered.get(name, valid)))
        ),
        st.tuples(st.sampled_from(HOSTILE_KEYS), values(valid)),
    )
    return st.lists(pair, max_size=6)


def query_url(path, pairs, charset):
    return f"{path}?{urlencode_pairs(pairs, charset)}" if pairs else path


def fuzz_get(client, crashes, label, path, names, offered, runs):
    """GET `path` with hostile query strings; `runs` are the hypothesis settings."""

    @runs
    @given(pairs=pairs_for(names, offered), charset=st.sampled_from(CHARSETS))
    def run(pairs, charset):
        send(client, crashes, label, "get", query_url(path, pairs, charset))

    run()


# -- public GET parameters --------------------------------------------------------------------


def public_get_targets(client, world):
    """(label, path, parameter names, offered values) for every public page with parameters."""
    item, year = world["item"], world["year"]
    pages = ["/", year.url, item.url, "/search/?q=公园", "/map/", world["update"].url]
    forms = []
    for page in pages:
        forms += forms_on(client.get(page).content.decode())
    get_forms = [form for form in forms if form.method == "get"]
    filters = filter_parameters(ProjectFilter)
    offered = values_offered(get_forms)
    for slug in world["slugs"]:
        offered.setdefault("category", set()).add(slug)
    offered.setdefault("year", set()).update({"2022", "2021"})
    code = world["feedback"].tracking_code
    offered.setdefault("code", set()).update({code, code.lower()})

    def named(path):
        return {
            name
            for form in get_forms
            if urlsplit(form.action).path in (path, "")
            for name in form.fields
        }

    return [
        ("GET /search/", "/search/", {*filters, *named("/search/")}, offered),
        ("GET year list", year.url, {*filters, *named(year.url)}, offered),
        ("GET /map/", "/map/", {*filters, "year", *named("/map/")}, offered),
        ("GET /feedback/track/", reverse("feedback_track"), {"code", "page"}, offered),
        ("GET item page", item.url, {"page", "q", "new"}, offered),
        ("GET follow form", reverse("follow"), {"kind", "target"}, offered),
        (
            "GET feedback status",
            reverse("feedback_status", args=[code]),
            {"new", "duplicate", "page"},
            offered,
        ),
    ]


tracking_codes = st.one_of(
    st.sampled_from(HOSTILE).filter(lambda v: isinstance(v, str) and v),
    st.text(min_size=1, max_size=30),
    st.binary(min_size=1, max_size=6),
)


def test_public_get_parameters_never_crash(world, crashes):
    client = Client(raise_request_exception=False)
    targets = public_get_targets(client, world)
    for label, path, names, offered in targets:
        for name, value in itertools.product(sorted(names), BATTERY):
            send(client, crashes, label, "get", query_url(path, [(name, value)], "utf-8"))
        fuzz_get(client, crashes, label, path, names, offered, FUZZ)


def test_tracking_codes_in_the_path_never_crash(world, crashes):
    client = Client(raise_request_exception=False)

    @FUZZ
    @given(code=tracking_codes, charset=st.sampled_from(CHARSETS))
    def run(code, charset):
        url = "/feedback/" + urlencode_pairs([("", code)], charset)[1:] + "/"
        send(client, crashes, "GET /feedback/<code>/", "get", url)

    run()


# -- public POST forms ------------------------------------------------------------------------

CSRF_SECRET = "k" * 32
LOOKS_LIKE_A_MESSAGE = {"feedback_new", "feedback_rate"}


def readable(text):
    """What a person could have typed: no control characters but line breaks and tabs, nothing
    undecodable, and something visible."""
    if "\ufffd" in text:
        return False
    kinds = [(unicodedata.category(ch), ch) for ch in text]
    if any(kind == "Cs" or (kind == "Cc" and ch not in "\t\n\r") for kind, ch in kinds):
        return False
    return not text or any(kind != "Cf" and not ch.isspace() for kind, ch in kinds)


def public_post_targets(client, world):
    """(url name, path, field names, offered values) for every public POST form."""
    item, finished = world["item"], world["finished"]
    new = reverse("feedback_new", args=[item.pk])
    new_on_update = reverse("feedback_new", args=[world["update"].pk])
    rate = reverse("feedback_rate", args=[finished.pk])
    forms = []
    for page in ["/", item.url, finished.url, new, rate]:
        forms += forms_on(client.get(page).content.decode())
    offered = values_offered(forms)
    offered.pop("started", None)  # drawn per case: a fresh, genuine start token

    def named(path):
        actions = [form for form in forms if urlsplit(form.action).path == path]
        return {name for form in actions for name in form.fields}

    return [
        ("feedback_new", new, {*FeedbackForm().fields, *named(new)}, offered),
        ("feedback_new", new_on_update, {*FeedbackForm().fields, *named(new)}, offered),
        ("feedback_rate", rate, {*RatingForm().fields, *named(rate)}, offered),
        ("care_mode", reverse("care_mode"), {"care", "next", *named("/care-mode/")}, offered),
        ("set_language", reverse("set_language"), {"language", "next"}, offered),
        ("feedback_track", reverse("feedback_track"), {"code"}, offered),
        ("follow", reverse("follow"), {*FollowForm().fields, *named("/follow/")}, offered),
    ]


def base_fields(name, offered):
    """A genuine submission of the form to start from (each field then may be replaced)."""
    if name == "feedback_new":
        return {
            "kind": "question",
            "message": "建议在公园东门增加自行车停放点。",
            "consent": "on",
            "website": "",
        }
    if name == "feedback_rate":
        return {"rating": "5", "comment": "", "website": ""}
    if name == "care_mode":
        return {"care": "on", "next": "/"}
    if name == "set_language":
        return {"language": "en", "next": "/"}
    if name == "follow":
        target = sorted(offered.get("target") or {""})[0]
        return {"email": "fan@example.cn", "kind": "item", "target": target, "website": ""}
    return {"code": "ABCD2345"}


wires = st.sampled_from(["multipart", "urlencoded"])
declared_charsets = st.sampled_from([None, "utf-8", "latin-1", "gbk", "x-no-such-charset"])


@st.composite
def posts(draw, name, names, offered):
    """(pairs, wire, declared charset, body charset, CSRF checked, a file)."""
    fields = base_fields(name, offered)
    fields["started"] = draw(st.sampled_from(["fresh", "fresh", "missing", "hostile"]))
    pairs = list(fields.items())
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.one_of(st.sampled_from(sorted(names)), st.sampled_from(HOSTILE_KEYS)))
        value = draw(values(offered.get(key, ())))
        if draw(st.booleans()):
            pairs = [(k, v) for k, v in pairs if k != key]  # replace rather than repeat
        pairs.append((key, value))
    return (
        pairs,
        draw(wires),
        draw(declared_charsets),
        draw(st.sampled_from(CHARSETS)),
        draw(st.booleans()),
        draw(st.sampled_from([None, b"not a photo", b"\xff\xd8\xff\xe0" + b"\x00" * 40])),
    )


def resolve_started(pairs):
    """Put a genuine start token where the case asks for one."""
    resolved = []
    for key, value in pairs:
        if key == "started" and value == "fresh":
            value = started_token()
        elif key == "started" and value == "hostile":
            value = Verbatim("%C3%28") if len(resolved) % 2 else "x" * 200
        elif key == "started" and value == "missing":
            continue
        resolved.append((key, value))
    return resolved


def test_public_post_forms_never_crash_and_store_only_readable_consented_messages(world, crashes):
    plain = Client(raise_request_exception=False)
    checked = Client(raise_request_exception=False, enforce_csrf_checks=True)
    checked.cookies["csrftoken"] = CSRF_SECRET
    for name, path, names, offered in public_post_targets(plain, world):
        fuzz_post(plain, checked, crashes, name, path, names, offered)


def fuzz_post(plain, checked, crashes, name, path, names, offered):
    """POST hostile submissions of one form; check what is stored."""

    @settings(FUZZ, max_examples=35)
    @given(case=posts(name, names, offered))
    def run(case):
        pairs, wire, declared, charset, csrf, photo = case
        pairs = resolve_started(pairs)
        client = checked if csrf else plain
        if csrf:
            pairs.append(("csrfmiddlewaretoken", CSRF_SECRET))
        before = Feedback.objects.count()
        if wire == "multipart":
            data = {}
            for key, value in pairs:
                data.setdefault(as_text(key), []).append(as_text(value))
            if photo is not None:
                data["photos"] = [SimpleUploadedFile("photo\u202egpj.jpg", photo)]
            seen = QueryDict(mutable=True)
            for key, value in data.items():
                seen.setlist(key, value)
            response = send(client, crashes, f"POST {name}", "post", path, data=data)
        else:
            body = urlencode_pairs(pairs, charset).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
            if declared:
                content_type += f"; charset={declared}"
            try:
                seen = QueryDict(body, encoding=declared or "utf-8")
            except LookupError:
                seen = QueryDict(body, encoding="utf-8")
            response = send(
                client, crashes, f"POST {name}", "generic", "POST", path, data=body,
                content_type=content_type,
            )  # fmt: skip
        if name in LOOKS_LIKE_A_MESSAGE:
            assert_stored_only_if_acceptable(name, seen, before, response)
        else:
            assert Feedback.objects.count() == before

    run()


def assert_stored_only_if_acceptable(name, seen, before, response):
    stored = Feedback.objects.count() - before
    assert stored in (0, 1)
    if not stored:
        return
    feedback = Feedback.objects.latest("pk")
    text_field = "message" if name == "feedback_new" else "comment"
    typed = seen.get(text_field, "")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/feedback/{feedback.tracking_code}/"
    assert not seen.get("website")
    assert feedback.message == typed.strip(), "the message was altered"
    assert readable(feedback.message), "an unreadable message was stored"
    if name == "feedback_new":
        assert seen.get("consent") == "on", "stored without consent"
        assert feedback.message, "stored without a message"
        assert readable(feedback.name)
        contact = seen.get("contact", "").strip()
        if "@" in contact:
            assert feedback.contact == contact, "the e-mail address was altered"
    else:
        assert feedback.rating == int(seen.get("rating"))


# -- admin URLs -------------------------------------------------------------------------------

ADMIN_PARAMETERS = {
    "q",
    "ordering",
    "p",
    "search",
    "order",
    "limit",
    "offset",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "year",
    "month",
    "sort",
    "export",
    "locale",
    "page_type",
    "collection_id",
    "tag",
    "multiple",
}


# What staff type into a search box: a word (Chinese and Latin), a number with a
# superscript, SQL metacharacters.
ADMIN_SEARCHES = ["公园 park", "1²", "' OR '1'='1"]


def admin_targets(client, world):
    """(label, path, parameter names, offered values) for the admin URLs staff use daily."""
    year, item = world["year"], world["item"]
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{year.pk}/",
        f"/admin/pages/{item.pk}/",
        "/admin/pages/search/",
        "/admin/choose-page/",
        f"/admin/choose-page/{year.pk}/",
        "/admin/choose-page/search/",
        "/admin/api/main/pages/",
        "/admin/api/main/images/",
        "/admin/images/",
        "/admin/images/chooser/",
        "/admin/images/chooser/results/",
        "/admin/snippets/choose/projects/feedback/",
        reverse(Feedback.snippet_viewset.get_url_name("list")),
        "/admin/routed-feedback/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        reverse("editorial:index"),
        reverse("editorial:import_items"),
        reverse("editorial:import_progress"),
        reverse("editorial:template", args=["items"]),
        reverse("editorial:export_year", args=[2022, "csv"]),
        reverse("editorial:export_year", args=[2022, "xlsx"]),
        reverse("editorial:monthly_report"),
    ]
    targets = []
    for path in paths:
        response = client.get(path)
        html = "html" in response.get("Content-Type", "")
        page = response.content.decode(errors="replace") if html else ""
        forms = [form for form in forms_on(page) if form.method == "get"]
        offered = values_offered(forms)
        offered.setdefault("year", set()).update({"2022", "2023"})
        offered.setdefault("month", set()).update({"1", "12"})
        names = {*ADMIN_PARAMETERS, *offered}
        if "feedback" in path:
            names.update(filter_parameters(FeedbackFilterSet))
        targets.append((path, names, offered))
    return targets


@pytest.mark.parametrize("role", ["editor", "reviewer", "moderator"])
def test_admin_parameters_never_crash_for_staff(world, crashes, role):
    client = Client(raise_request_exception=False)
    client.force_login(world[role])
    for path, names, offered in admin_targets(client, world):
        label = f"admin {role} " + re.sub(r"/\d+", "/<id>", path)
        search = "search" if path.startswith("/admin/api/") else "q"
        for value in ADMIN_SEARCHES:  # every search box, once per kind of query
            send(client, crashes, label, "get", query_url(path, [(search, value)], "utf-8"))
        fuzz_get(client, crashes, label, path, names, offered, settings(FUZZ, max_examples=5))
