"""Bulk approve / reject / mark as spam in the feedback queue (registered in wagtail_hooks)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..choices import FeedbackStatus
from ..models import Feedback
from . import moderation


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log; not shown to the public."),
    )


class FeedbackBulkAction(SnippetBulkAction):
    template_name = "projects/feedback/admin/bulk_confirm.html"

    models = [Feedback]

    def dispatch(self, request, *args, **kwargs):
        # Without the model permission there is nothing to confirm: never list the messages.
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_execution_context(self):
        context = {**super().get_execution_context(), "user": self.request.user}
        if self.cleaned_form is not None and "reason" in self.cleaned_form.cleaned_data:
            context["reason"] = self.cleaned_form.cleaned_data["reason"]
        return context

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}


class ApproveBulkAction(FeedbackBulkAction):
    display_name = _("Approve")
    action_type = "approve_feedback"
    aria_label = _("Approve and publish the selected messages")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = 0
        for feedback in objects:
            if feedback.status != FeedbackStatus.PUBLISHED:
                moderation.approve(feedback, user)
                count += 1
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d message approved and published.",
            "%(count)d messages approved and published.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class RejectBulkAction(FeedbackBulkAction):
    """Keeps messages off the item page; those that need an answer still wait for one."""

    display_name = _("Do not publish")
    action_type = "reject_feedback"
    aria_label = _("Do not publish the selected messages (they still get an answer)")
    action_priority = 20
    form_class = ReasonForm
    spam = False

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        count = 0
        for feedback in objects:
            moderation.reject(feedback, user, reason, spam=cls.spam)
            count += 1
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d message will not be published. If it needs an answer, it still gets "
            "one on the resident's status page.",
            "%(count)d messages will not be published. Those that need an answer still get "
            "one on the resident's status page.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class SpamBulkAction(RejectBulkAction):
    display_name = _("Spam")
    action_type = "spam_feedback"
    aria_label = _("Mark the selected messages as spam")
    action_priority = 30
    classes = {"serious"}
    spam = True

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d message marked as spam.",
            "%(count)d messages marked as spam.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction]
