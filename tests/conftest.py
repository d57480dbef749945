"""Suite-wide pytest hooks and the database snapshot the browser tests start from.

Tests under tests/e2e/ and tests/deploy/ are marked `e2e` (so `-m "not e2e"` leaves the browser
out) and run last: Playwright's event loop stays up for the rest of the session once started and
should not sit under the unit tests, where Django's async-safety check stays active; and a broken
model fails fast, before Chromium is launched.

Browser tests need `transactional_db` (live_server's thread must see their data), and every
transactional test ends by emptying all tables, so whatever the migrations created (groups and
their permissions, Wagtail's root page, collection, site and workflow) is gone for the next one.
`django_db_setup` therefore snapshots the freshly migrated database when the session has browser
tests, and tests/e2e/conftest.py restores it before each of them.

Also here: `make_user` (the one way tests create staff accounts, also as the `roles` fixture with
one user per demo role), `s3_server` (a local S3 server for the object-storage tests), the
`english` fixture (opted into with `pytestmark`), the removal of the temporary folders
portal.settings.test creates when the session ends, and the check that every URL and management
command of ours was touched by some test (tests/url_coverage.py).
"""

import shutil
import tempfile
from pathlib import Path

import pytest

from tests import url_coverage

E2E_DIR = Path(__file__).parent / "e2e"
# Several gunicorn nodes behind nginx, driven with Chromium: browser tests too (marked, last).
DEPLOY_DIR = Path(__file__).parent / "deploy"
MIGRATED_STATE = pytest.StashKey[dict]()
URL_COVERAGE_LINES = pytest.StashKey[list]()


def is_e2e(item):
    return E2E_DIR in item.path.parents or DEPLOY_DIR in item.path.parents


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "e2e: drives real Chromium (tests/e2e against live_server, tests/deploy against gunicorn)",
    )
    url_coverage.record_commands()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_e2e(item):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=is_e2e)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    if any(is_e2e(item) for item in request.session.items):
        from django.db import connections

        with django_db_blocker.unblock():
            request.config.stash[MIGRATED_STATE] = {
                alias: serialize_database(connections[alias]) for alias in connections
            }


@pytest.fixture(scope="session")
def migrated_state(django_db_setup, request):
    """The snapshot of the freshly migrated database: {alias: serialized rows}."""
    return request.config.stash[MIGRATED_STATE]


def serialize_database(connection):
    """Like Django's serialize_db_to_string(), content types first: while the rows are reloaded,
    signal handlers look content types up and would otherwise create them with new ids."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.db import router
    from django.db.migrations.loader import MigrationLoader

    migrated = MigrationLoader(connection).migrated_apps
    models = [
        model
        for app_config in apps.get_app_configs()
        if app_config.models_module is not None and app_config.label in migrated
        for model in app_config.get_models()
        if model._meta.can_migrate(connection)
        and router.allow_migrate_model(connection.alias, model)
    ]
    models.sort(key=lambda model: model is not ContentType)

    def rows():
        for model in models:
            queryset = model._base_manager.using(connection.alias).order_by(model._meta.pk.name)
            yield from queryset.iterator()

    return serializers.serialize("json", rows())


# The demo's roles (README): the group each belongs to; "admin" is a superuser.
ROLES = {
    "admin": None,
    "editor": "Editors",
    "reviewer": "Reviewers",
    "moderator": "Feedback moderators",
}
PASSWORD = "pw"


def make_user(
    username,
    group=None,
    *,
    superuser=False,
    departments=(),
    language=None,
    password=PASSWORD,
    email=None,
    **fields,
):
    """A staff account as an administrator creates one: in `group` (a name from ROLES, which the
    migrations create), answering for `departments`, with `language` as its admin language
    (tests that assert on admin wording use "en", the msgids; None leaves the site default,
    Chinese). Password `password`, e-mail `email` (default <username>@example.cn); `fields` go
    to the User (first_name, last_name...)."""
    from django.contrib.auth.models import Group, User
    from wagtail.users.models import UserProfile

    from projects.models import DepartmentMember

    user = User.objects.create_user(
        username,
        email or f"{username}@example.cn",
        password,
        is_staff=True,
        is_superuser=superuser,
        **fields,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    for department in departments:
        DepartmentMember.objects.create(user=user, department=department)
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return user


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (`moto_server`) on a free port for the whole session; each
    test makes its own buckets (`s3_server.new_buckets()`). Skipped without moto_server, failed
    under CI=true (tests/object_storage_support.py)."""
    from tests.object_storage_support import S3Server

    server = S3Server(tmp_path_factory.mktemp("s3") / "moto_server.log").start()
    yield server
    server.stop()


@pytest.fixture
def roles(db):
    """One English-speaking user per demo role, named after it: {"admin": user, "editor": ...}."""
    return {
        role: make_user(role, group, superuser=group is None, language="en")
        for role, group in ROLES.items()
    }


@pytest.fixture
def english():
    """Messages built outside a request (importer reports, commands) in English, the msgids.
    A module opts in with `pytestmark = pytest.mark.usefixtures("english")`."""
    from django.utils import translation

    with translation.override("en"):
        yield


def session_temp_folders(settings=None):
    """The temporary folders portal.settings.test made for this process (media, private photos,
    the SQLite test database), only those under the temp directory and named portal-test-*."""
    if settings is None:
        from django.conf import settings
    candidates = [
        getattr(settings, "MEDIA_ROOT", ""),
        getattr(settings, "FEEDBACK_PRIVATE_ROOT", ""),
        Path(settings.DATABASES["default"].get("TEST", {}).get("NAME") or "").parent,
    ]
    temp = Path(tempfile.gettempdir()).resolve()
    return [
        Path(folder)
        for folder in candidates
        if folder
        and Path(folder).name.startswith("portal-test-")
        and Path(folder).resolve().parent == temp
    ]


def remove_test_folders():
    for folder in session_temp_folders():
        shutil.rmtree(folder, ignore_errors=True)


def pytest_unconfigure(config):
    """After pytest-django dropped the test database: leave no portal-test-* folder behind."""
    from django.conf import settings

    if settings.configured:
        remove_test_folders()


def pytest_sessionfinish(session):
    """Fails the session when the whole suite left a URL or command of ours untouched."""
    session.config.stash[URL_COVERAGE_LINES] = url_coverage.check(session)


def pytest_terminal_summary(terminalreporter):
    """The fuzz run's counts (tests/test_fuzz.py), when it ran: requests and status codes; and
    what tests/url_coverage.py found."""
    from tests.fuzz_support import TALLY

    for line in TALLY.lines():
        terminalreporter.write_line(line)
    for line in terminalreporter.config.stash.get(URL_COVERAGE_LINES, []):
        terminalreporter.write_line(line)
