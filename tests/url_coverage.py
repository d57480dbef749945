"""Which of our URLs and management commands the test session touched, and which it never did.

Recording: `RouteRecorder`, first in MIDDLEWARE under portal.settings.test, notes the route of
every request that reached a view (the test client's and live_server's alike: the browser tests
run in this process), and `BaseCommand.execute` is wrapped for the session so every command run
in-process (call_command, or a command's run_from_argv) is noted by name.

A route counts as touched by a request that resolved to it; an admin route only when a signed-in
user made it (an anonymous request only shows the sign-in redirect, never the view).

What must be touched ("ours"), decided from the URLconf itself, so a new URL is counted the
moment it is added:
- every public URL (anything outside /admin/), whoever wrote its view: residents reach them all;
- an admin URL whose view is defined in portal/ or projects/ (the editorial, feedback and
  sign-in screens, the explorer override), or which a Wagtail viewset serves for one of our
  models (our snippets, the department editors, routed feedback, the image choosers), except a
  chooser's create URL when the chooser has no creation form (Wagtail registers it regardless);
- not Wagtail's own admin (pages, images, documents, users, settings...): a URL whose view and
  model are both Wagtail's or Django's is Wagtail's to test, even when it shows our page types.
Our management commands are those of the portal and projects apps.

The check (`check()`, from tests/conftest.py when the session finishes) fails the session,
listing what was never touched, when the whole suite ran: every test file under tests/ collected
and none deselected. A partial run (one file, `-k`, `-m "not e2e"`) only reports the count.
URL_COVERAGE=1 enforces it on any run, URL_COVERAGE=0 never. (Under pytest-xdist, not used
here, each worker would see part of the suite and nothing would be enforced.) Requests made by
subprocesses (`manage.py` run as a program, the concurrency tests' workers) are not seen;
a test that runs a command that way says so (`record_command_run`).
"""

import os
import threading
from pathlib import Path

from django.utils.functional import empty

TESTS_DIR = Path(__file__).parent
OUR_PACKAGES = ("portal", "projects")

_lock = threading.Lock()
touched_routes = set()
touched_commands = set()


class RouteRecorder:
    """Test-only middleware: the route (as ResolverMatch.route spells it) of each request that
    reached a view. Reads the user only if the request already loaded it (no extra query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None:
            with _lock:
                touched_routes.add((match.route, signed_in(request)))
        return response


def signed_in(request):
    user = request.__dict__.get("user")
    if user is None:
        return False
    if getattr(user, "_wrapped", None) is empty:  # a SimpleLazyObject nobody evaluated
        return False
    return bool(user.is_authenticated)


def record_commands():
    """Wrap BaseCommand.execute for the session: note each command run, by its name."""
    from django.core.management.base import BaseCommand

    original = BaseCommand.execute
    if getattr(original, "_records_commands", False):
        return

    def execute(self, *args, **options):
        with _lock:
            touched_commands.add(type(self).__module__.rsplit(".", 1)[-1])
        return original(self, *args, **options)

    execute._records_commands = True
    BaseCommand.execute = execute


def record_command_run(name):
    """Note a command a test ran as `manage.py NAME` in a process of its own, which the wrapped
    `BaseCommand.execute` of this process cannot see (the backup round trip)."""
    with _lock:
        touched_commands.add(name)


def _join_route(route1, route2):
    """As django.urls.resolvers.URLResolver._join_route, which builds ResolverMatch.route."""
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def _walk(patterns, prefix=""):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, _join_route(prefix, str(pattern.pattern)))
        else:
            yield _join_route(prefix, str(pattern.pattern)), pattern


def _ours(obj):
    module = getattr(obj, "__module__", "") or ""
    return module.split(".")[0] in OUR_PACKAGES


def _view_is_ours(callback):
    """The view, or what it wraps (decorators, with or without functools.wraps; public_page;
    Feed instances), is our code, or a Wagtail generic view serving one of our models."""
    queue, seen = [callback], set()
    while queue:
        view = queue.pop()
        if view is None or id(view) in seen:
            continue
        seen.add(id(view))
        view_class = getattr(view, "view_class", None)
        if view_class is not None and _ours(view_class):
            return True
        model = (getattr(view, "view_initkwargs", None) or {}).get("model")
        if isinstance(model, type) and _ours(model):
            return True
        if _ours(view) or _ours(type(view)):
            return True
        queue.append(getattr(view, "__wrapped__", None))
        # A decorator that does not use functools.wraps (Wagtail's require_admin_access)
        # keeps the view in its closure.
        for cell in getattr(view, "__closure__", None) or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if callable(contents):
                queue.append(contents)
    return False


def _offers_no_creation(pattern):
    """A Wagtail chooser's create URL, registered even when the chooser has no creation form
    (nothing links to it; a POST would fail inside Wagtail): not a screen anyone reaches."""
    from wagtail.admin.views.generic.chooser import CreationFormMixin

    view_class = getattr(pattern.callback, "view_class", None)
    kwargs = getattr(pattern.callback, "view_initkwargs", None) or {}
    return (
        pattern.name == "create"
        and view_class is not None
        and issubclass(view_class, CreationFormMixin)
        # Not a view that builds its own form (Wagtail's image chooser: the upload form).
        and view_class.get_creation_form_class is CreationFormMixin.get_creation_form_class
        and not any(
            kwargs.get(key) or getattr(view_class, key, None) for key in CREATION_FORM_KWARGS
        )
    )


CREATION_FORM_KWARGS = ("creation_form_class", "form_fields", "exclude_form_fields")


def our_routes():
    """{route: name} of every URL a test must touch (the rules in the module docstring). A route
    shadowed by an earlier pattern with the same route (Wagtail's explorer, behind ours) is out."""
    from django.urls import get_resolver

    routes = {}
    skipped = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        if route in routes or route in skipped:
            continue
        if _offers_no_creation(pattern):
            skipped.add(route)
        elif not route.startswith("admin/") or _view_is_ours(pattern.callback):
            routes[route] = pattern.name or ""
        else:
            skipped.add(route)
    return routes


def untouched_routes():
    touched = {
        route for route, signed in touched_routes if signed or not route.startswith("admin/")
    }
    return {route: name for route, name in our_routes().items() if route not in touched}


def our_commands():
    from django.core.management import get_commands

    return sorted(name for name, app in get_commands().items() if app.split(".")[0] in OUR_PACKAGES)


def untouched_commands():
    return [name for name in our_commands() if name not in touched_commands]


def whole_suite_ran(session):
    """Every test file under tests/ was collected and nothing deselected."""
    files = {path.resolve() for path in TESTS_DIR.rglob("test_*.py")}
    collected = {Path(item.path).resolve() for item in session.items}
    deselected = session.config.pluginmanager.get_plugin("terminalreporter")
    deselected = getattr(deselected, "stats", {}).get("deselected", [])
    return files <= collected and not deselected


def enforced(session):
    setting = os.environ.get("URL_COVERAGE", "")
    if setting in ("0", "1"):
        return setting == "1"
    return whole_suite_ran(session)


def check(session):
    """The lines to show at the end; when enforced, list what was never touched and fail the
    session (pytest returns session.exitstatus once the session-finish hooks ran)."""
    lines = []
    if not touched_routes and not touched_commands:
        return lines
    write_line = lines.append
    routes, commands = our_routes(), our_commands()
    missing_routes, missing_commands = untouched_routes(), untouched_commands()
    write_line(
        f"URL coverage: {len(routes) - len(missing_routes)} of {len(routes)} of our URLs touched, "
        f"{len(commands) - len(missing_commands)} of {len(commands)} management commands run"
    )
    if not enforced(session):
        return lines
    for route, name in sorted(missing_routes.items()):
        write_line(f"  never touched: /{route}  ({name})")
    for name in missing_commands:
        write_line(f"  never run: manage.py {name}")
    if missing_routes or missing_commands:
        write_line("URL coverage FAILED: every URL and command of ours needs a test (above).")
        session.exitstatus = 1
    return lines
