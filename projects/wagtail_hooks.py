from django.urls import path
from django_filters import BooleanFilter
from wagtail import hooks
from wagtail.admin.active_filters import register_filter_adapter_class
from wagtail.snippets.models import register_snippet

# Editors' tools (projects.editorial): department scoping, imports, exports, monthly report,
# dashboard panels. Imported first: it registers the page permission policy, which must
# happen before Wagtail looks one up.
from .editorial import admin_hooks as editorial_hooks  # noqa: F401
from .feedback import admin_views as feedback_admin_views
from .feedback.bulk_actions import BULK_ACTIONS as FEEDBACK_BULK_ACTIONS
from .feedback.dashboard import construct_homepage_panels as feedback_panels
from .feedback.moderation import register_log_actions as feedback_log_actions
from .feedback.viewsets import FeedbackViewSet, RoutedFeedbackViewSet
from .viewsets import BooleanFilterAdapter, ReferenceListsGroup

register_snippet(ReferenceListsGroup)
register_filter_adapter_class(BooleanFilter, BooleanFilterAdapter)

# -- residents' feedback (projects.feedback) ------------------------------------------------
register_snippet(FeedbackViewSet)
hooks.register("register_admin_viewset", lambda: RoutedFeedbackViewSet())
hooks.register("register_log_actions", feedback_log_actions)
hooks.register("construct_homepage_panels", feedback_panels)
for _action in FEEDBACK_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)
hooks.register(
    "register_admin_urls",
    lambda: [
        path(
            "feedback-photo/<int:pk>/",
            feedback_admin_views.private_photo,
            name="feedback_private_photo",
        ),
        path(
            "feedback-contact/<int:pk>/",
            feedback_admin_views.reveal_contact,
            name="feedback_reveal_contact",
        ),
    ],
)


@hooks.register("construct_help_menu")
def help_menu_in_the_users_language(request, items):
    """Wagtail builds its help menu's items once, in the language of the first request after a
    start ("What's new in Wagtail" stays English for everyone if an English user came first):
    build them again for this request."""
    fresh = {
        item.name: item for item in (fn() for fn in hooks.get_hooks("register_help_menu_item"))
    }
    items[:] = [fresh.get(item.name, item) for item in items]
