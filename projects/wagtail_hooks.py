"""Wagtail finds this module (an app's `wagtail_hooks`) and nothing deeper: it registers the
reference lists and imports each feature's own hooks module, which registers the rest."""

from django.utils.translation import gettext
from django_filters import BooleanFilter
from wagtail import hooks
from wagtail.admin.active_filters import register_filter_adapter_class
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet

# Editors' tools (projects.editorial): department scoping, imports, exports, monthly report,
# dashboard panels. Imported first: it registers the page permission policy, which must
# happen before Wagtail looks one up.
from .editorial import wagtail_hooks as editorial_hooks  # noqa: F401

# Residents' feedback (projects.feedback): the queue, routed messages, bulk actions.
from .feedback import wagtail_hooks as feedback_hooks  # noqa: F401
from .models import ProjectIndexPage, ProjectPage
from .viewsets import BooleanFilterAdapter, ReferenceListsGroup

register_snippet(ReferenceListsGroup)
register_filter_adapter_class(BooleanFilter, BooleanFilterAdapter)


@hooks.register("construct_help_menu")
def help_menu_in_the_users_language(request, items):
    """Wagtail builds its help menu's items once, in the language of the first request after a
    start ("What's new in Wagtail" stays English for everyone if an English user came first):
    build them again for this request."""
    fresh = {
        item.name: item for item in (fn() for fn in hooks.get_hooks("register_help_menu_item"))
    }
    items[:] = [fresh.get(item.name, item) for item in items]


def _board_buttons(page):
    """ "打印公示牌" on a live item (its site board) or year list (all its items' boards)."""
    if not page.live or not page.url:
        return
    kind = page.specific_class
    if kind is ProjectPage:
        label, url = gettext("Print site board"), page.url + "board/"
    elif kind is ProjectIndexPage:
        label, url = gettext("Print site boards"), page.url + "boards/"
    else:
        return
    yield PageMenuItem(label, url, icon_name="doc-full", priority=90, page=page)


@hooks.register("register_page_listing_more_buttons")
def board_listing_buttons(page, user, next_url=None):
    yield from _board_buttons(page)


@hooks.register("register_page_header_buttons")
def board_header_buttons(page, user, view_name, next_url=None):
    yield from _board_buttons(page)
