"""The admin dashboard panel: pending and overdue feedback, and messages routed to me."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..models import Feedback
from ..models.departments import department_ids


class FeedbackSummaryPanel(Component):
    name = "feedback_summary"
    order = 90
    template_name = "projects/feedback/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        show_queue = self.user.has_perm("projects.view_feedback")
        show_routed = self.user.has_perm("projects.answer_routed_feedback")
        context = {"show_queue": show_queue, "show_routed": show_routed}
        if show_queue:
            context.update(
                pending=Feedback.objects.filter(status="pending").count(),
                overdue=Feedback.objects.overdue().count(),
                queue_url=reverse("wagtailsnippets_projects_feedback:list"),
            )
        if show_routed:
            context.update(
                routed_open=Feedback.objects.open()
                .filter(routed_to__in=department_ids(self.user), replied_at__isnull=True)
                .count(),
                routed_url=reverse("routed_feedback:index"),
            )
        return context


def construct_homepage_panels(request, panels):
    user = request.user
    if user.has_perm("projects.view_feedback") or user.has_perm("projects.answer_routed_feedback"):
        panels.append(FeedbackSummaryPanel(user))
