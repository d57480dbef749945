"""Wagtail hooks of residents' feedback; imported by `projects/wagtail_hooks.py`.

The moderators' queue (a snippet), the departments' list of messages routed to them, the
audit-log actions, the dashboard panel, the bulk actions and the two admin URLs that show a
private photo or a contact to whoever may see it.
"""

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from ..models import Feedback
from . import admin_views
from .bulk_actions import BULK_ACTIONS
from .dashboard import construct_homepage_panels
from .moderation import register_log_actions
from .viewsets import FeedbackViewSet, ResidentsOnlyPolicy, RoutedFeedbackViewSet

register_permission_policy(Feedback, ResidentsOnlyPolicy(Feedback))
register_snippet(FeedbackViewSet)
hooks.register("register_admin_viewset", lambda: RoutedFeedbackViewSet())
hooks.register("register_log_actions", register_log_actions)
hooks.register("construct_homepage_panels", construct_homepage_panels)
for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)
hooks.register(
    "register_admin_urls",
    lambda: [
        path("feedback-photo/<int:pk>/", admin_views.private_photo, name="feedback_private_photo"),
        path(
            "feedback-contact/<int:pk>/",
            admin_views.reveal_contact,
            name="feedback_reveal_contact",
        ),
    ],
)
