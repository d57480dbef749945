"""Wagtail finds this module (an app's `wagtail_hooks`) and nothing deeper: it registers the
reference lists and imports each feature's own hooks module, which registers the rest."""

from django_filters import BooleanFilter
from wagtail import hooks
from wagtail.admin.active_filters import register_filter_adapter_class
from wagtail.snippets.models import register_snippet

# Editors' tools (projects.editorial): department scoping, imports, exports, monthly report,
# dashboard panels. Imported first: it registers the page permission policy, which must
# happen before Wagtail looks one up.
from .editorial import wagtail_hooks as editorial_hooks  # noqa: F401

# Residents' feedback (projects.feedback): the queue, routed messages, bulk actions.
from .feedback import wagtail_hooks as feedback_hooks  # noqa: F401
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
