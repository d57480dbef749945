"""Suite-wide pytest hooks and the database snapshot the browser tests start from.

Tests under tests/e2e/ are marked `e2e` (so `-m "not e2e"` leaves the browser out) and run last:
Playwright's event loop stays up for the rest of the session once started and should not sit
under the unit tests, where Django's async-safety check stays active; and a broken model fails
fast, before Chromium is launched.

Browser tests need `transactional_db` (live_server's thread must see their data), and every
transactional test ends by emptying all tables, so whatever the migrations created (groups and
their permissions, Wagtail's root page, collection, site and workflow) is gone for the next one.
`django_db_setup` therefore snapshots the freshly migrated database when the session has browser
tests, and tests/e2e/conftest.py restores it before each of them.
"""

from pathlib import Path

import pytest

E2E_DIR = Path(__file__).parent / "e2e"
MIGRATED_STATE = pytest.StashKey[dict]()


def is_e2e(item):
    return E2E_DIR in item.path.parents


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives real Chromium against live_server (tests/e2e)")


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


def pytest_terminal_summary(terminalreporter):
    """The fuzz run's counts (tests/test_fuzz.py), when it ran: requests and status codes."""
    from tests.fuzz_support import TALLY

    for line in TALLY.lines():
        terminalreporter.write_line(line)
