"""The moderators' feedback queue and the departments' routed-message list (Wagtail admin).

`FeedbackViewSet` is a snippet viewset (a ModelViewSet with Wagtail's listing, filters, bulk
actions, history and inspect views) guarded by the model permissions that only the
"Feedback moderators" group holds. `RoutedFeedbackViewSet` is a plain ModelViewSet over the
same model for department editors: it lists only messages routed to their departments,
shows the text but never the contact, and its form has the reply field only. Every change is
made through `projects.feedback.moderation`, which writes the audit log.
"""

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from ..choices import FeedbackKind, FeedbackStatus, PhotoStatus
from ..editorial.permissions import department_ids
from ..models import Category, Department, District, Feedback, FeedbackPhoto, ProjectPage
from . import moderation

CONTACT_PERMISSION = "projects.view_feedback_contact"
ROUTED_PERMISSION = "projects.answer_routed_feedback"


# -- listing ----------------------------------------------------------------------------------


class FeedbackFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("Status"), choices=FeedbackStatus.choices)
    kind = ChoiceFilter(label=_("Kind"), choices=FeedbackKind.choices)
    overdue = BooleanFilter(label=_("Overdue"), method="filter_overdue")
    older_than = ChoiceFilter(
        label=_("Received"),
        method="filter_older_than",
        choices=[
            ("1", _("more than 1 day ago")),
            ("3", _("more than 3 days ago")),
            ("7", _("more than 7 days ago")),
            ("30", _("more than 30 days ago")),
        ],
    )
    project = ModelChoiceFilter(
        label=_("Item"),
        queryset=lambda request: ProjectPage.objects.order_by("-path"),
    )
    category = ModelChoiceFilter(
        label=_("Category"), field_name="project__category", queryset=Category.objects.all()
    )
    department = ModelChoiceFilter(
        label=_("Responsible department"),
        field_name="project__department",
        queryset=Department.objects.all(),
    )
    district = ModelChoiceFilter(
        label=_("District or street"),
        field_name="project__district",
        queryset=District.objects.all(),
    )
    routed_to = ModelChoiceFilter(label=_("Routed to"), queryset=Department.objects.all())
    created_at = DateFromToRangeFilter(label=_("Date received"), widget=DateRangePickerWidget)

    class Meta:
        model = Feedback
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Feedback.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_older_than(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(created_at__lt=timezone.now() - timezone.timedelta(days=int(value)))


class DeadlineColumn(Column):
    """The reply due date, flagged when the message is open and past it."""

    cell_template_name = "projects/feedback/admin/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue
        context["closed"] = instance.closed_at is not None or instance.status in (
            FeedbackStatus.REJECTED,
            FeedbackStatus.SPAM,
        )
        return context


# -- the moderation form ---------------------------------------------------------------------


class FeedbackContentPanel(Panel):
    """What the resident sent, read-only: text, photos (through the private view), the item,
    and the contact behind a logged "reveal" button for those allowed to see it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/feedback/admin/content_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            feedback = self.instance
            user = self.request.user if self.request else AnonymousUser()
            show_photos = user.has_perm("projects.view_feedbackphoto")
            context.update(
                {
                    "feedback": feedback,
                    "photos": list(feedback.photos.all()) if show_photos else [],
                    "can_reveal": user.has_perm(CONTACT_PERMISSION) and bool(feedback.contact),
                    "contact_erased": feedback.contact_erased_at,
                    "item": feedback.project,
                }
            )
            return context


class FeedbackModerationForm(WagtailAdminModelForm):
    """Only the moderation fields, plus a per-photo reject list; what the resident wrote is
    shown by `FeedbackContentPanel` and cannot be edited."""

    reject_photos = forms.ModelMultipleChoiceField(
        label=_("Reject photos"),
        queryset=FeedbackPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked photos are never published (e.g. they show faces or number plates)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            photos = self.instance.photos.exclude(status=PhotoStatus.REJECTED)
            self.fields["reject_photos"].queryset = photos
            self.fields["reject_photos"].label_from_instance = lambda p: (
                _("Photo %(n)s") % {"n": p.sort_order + 1}
            )
        if "reply_department" in self.fields and self.instance.project_id:
            self.fields["reply_department"].initial = self.instance.project.department_id

    def clean(self):
        data = super().clean()
        status = data.get("status")
        original = Feedback.objects.filter(pk=self.instance.pk).values_list("status", flat=True)
        original = original.first() or FeedbackStatus.PENDING
        if status == FeedbackStatus.PENDING and original != FeedbackStatus.PENDING:
            self.add_error("status", _("A moderated message cannot go back to pending."))
        if (
            status in (FeedbackStatus.REJECTED, FeedbackStatus.SPAM)
            and not data.get("moderation_reason", "").strip()
        ):
            self.add_error("moderation_reason", _("Please give a reason."))
        if data.get("reply", "").strip() and status != FeedbackStatus.PUBLISHED:
            self.add_error("reply", _("Only a published message can carry an official reply."))
        return data


class FeedbackEditView(SnippetEditView):
    """Saves through the moderation functions so each step is logged as its own action."""

    def save_instance(self):
        data = self.form.cleaned_data
        user = self.request.user
        feedback = Feedback.objects.select_for_update().get(pk=self.object.pk)
        status = data.get("status", feedback.status)
        if status != feedback.status:
            if status == FeedbackStatus.PUBLISHED:
                moderation.approve(feedback, user)
            elif status in (FeedbackStatus.REJECTED, FeedbackStatus.SPAM):
                moderation.reject(
                    feedback,
                    user,
                    data.get("moderation_reason", ""),
                    spam=status == FeedbackStatus.SPAM,
                )
        for photo in data.get("reject_photos") or []:
            moderation.reject_photo(photo, user)
        if "routed_to" in data and data["routed_to"] != feedback.routed_to:
            moderation.route(feedback, user, data["routed_to"])
        reply = (data.get("reply") or "").strip()
        department = data.get("reply_department")
        if reply and (reply != feedback.reply or department != feedback.reply_department):
            moderation.reply(feedback, user, reply, department)
        return feedback

    def get_success_message(self):
        return _("Feedback %(code)s saved.") % {"code": self.object.tracking_code}


class FeedbackViewSet(SnippetViewSet):
    """The moderators' queue: Admin › Feedback."""

    model = Feedback
    icon = "comment"
    menu_label = _("Feedback")
    menu_name = "feedback"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "feedback"
    filterset_class = FeedbackFilterSet
    search_fields = ["message", "tracking_code", "project_title", "reply"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "tracking_code",
        "project_title",
        "kind",
        "rating",
        "message",
        "status",
        "moderation_reason",
        "reply",
        "reply_department",
        "replied_at",
        "routed_to",
        "created_at",
        "reply_due",
        "closed_at",
    ]
    copy_view_enabled = False
    edit_view_class = FeedbackEditView
    list_per_page = 30
    list_export = ["tracking_code", "project_title", "kind", "status", "created_at", "reply_due"]

    @cached_property
    def list_display(self):
        return [
            Column("excerpt", label=_("Message")),
            Column("tracking_code", label=_("Code")),
            Column("project_title", label=_("Item")),
            Column("get_kind_display", label=_("Kind")),
            StatusTagColumn(
                "get_status_display",
                label=_("Status"),
                primary=lambda f: f.status == FeedbackStatus.PENDING,
            ),
            DateColumn("created_at", label=_("Received"), sort_key="created_at"),
            DeadlineColumn("reply_due", label=_("Reply due"), sort_key="reply_due"),
            Column("routed_to", label=_("Routed to")),
        ]

    def get_queryset(self, request):
        return Feedback.objects.select_related("routed_to").defer("contact")

    panels = [
        FeedbackContentPanel(heading=_("The message")),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("moderation_reason")],
            heading=_("Moderation"),
        ),
        FieldPanel("reject_photos", heading=_("Photos")),
        MultiFieldPanel(
            [FieldPanel("reply"), FieldPanel("reply_department")],
            heading=_("Official reply"),
        ),
        FieldPanel("routed_to", heading=_("Route to a department")),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=FeedbackModerationForm).bind_to_model(
            self.model
        )


# -- department editors -----------------------------------------------------------------------


class RoutedFeedbackPolicy(ModelPermissionPolicy):
    """Department editors may view and answer the messages routed to their departments."""

    def user_has_permission(self, user, action):
        if action in ("view", "change"):
            return user.is_active and (user.is_superuser or user.has_perm(ROUTED_PERMISSION))
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            user.is_superuser or instance.routed_to_id in department_ids(user)
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Feedback.objects.none()
        if user.is_superuser:
            return Feedback.objects.filter(routed_to__isnull=False)
        return Feedback.objects.filter(routed_to__in=department_ids(user))


class RoutedReplyForm(WagtailAdminModelForm):
    class Meta:
        model = Feedback
        fields = ["reply"]

    def clean_reply(self):
        reply = self.cleaned_data.get("reply", "").strip()
        if not reply:
            raise forms.ValidationError(_("Please write the department's answer."))
        return reply


ROUTED_POLICY = RoutedFeedbackPolicy(Feedback)


class RoutedIndexView(generic.IndexView):
    # Wagtail looks policies up per model; this view over the same model needs its own.
    permission_policy = ROUTED_POLICY
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
            .exclude(status__in=[FeedbackStatus.REJECTED, FeedbackStatus.SPAM])
            .defer("contact", "name")
            .select_related("routed_to")
        )


class RoutedEditView(generic.EditView):
    permission_policy = ROUTED_POLICY

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        ):
            raise PermissionDenied
        return obj

    def save_instance(self):
        feedback = Feedback.objects.select_for_update().get(pk=self.object.pk)
        moderation.reply(
            feedback,
            self.request.user,
            self.form.cleaned_data["reply"],
            department=feedback.routed_to,
        )
        return feedback

    def get_success_message(self):
        return _("The answer to %(code)s has been saved.") % {"code": self.object.tracking_code}


class RoutedFeedbackViewSet(ModelViewSet):
    """Admin › Feedback for my department: answer what moderators routed to you."""

    model = Feedback
    name = "routed_feedback"
    url_prefix = "routed-feedback"
    icon = "mail"
    menu_label = _("Feedback for my department")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = RoutedIndexView
    edit_view_class = RoutedEditView
    inspect_view_enabled = False
    copy_view_enabled = False
    search_fields = ["message", "tracking_code", "project_title"]
    form_fields = ["reply"]

    @cached_property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class RoutedMenuItem(MenuItem):
            def is_shown(self, request):
                return ROUTED_POLICY.user_has_permission(request.user, "view")

        return RoutedMenuItem

    @cached_property
    def list_display(self):
        return [
            Column("excerpt", label=_("Message")),
            Column("project_title", label=_("Item")),
            Column("get_kind_display", label=_("Kind")),
            DateColumn("created_at", label=_("Received"), sort_key="created_at"),
            DeadlineColumn("reply_due", label=_("Reply due"), sort_key="reply_due"),
            DateColumn("replied_at", label=_("Answered"), sort_key="replied_at"),
        ]

    def get_edit_handler(self):
        return ObjectList(
            [
                FeedbackContentPanel(heading=_("The message")),
                FieldPanel("reply", heading=_("The department's answer")),
            ],
            base_form_class=RoutedReplyForm,
        ).bind_to_model(self.model)
