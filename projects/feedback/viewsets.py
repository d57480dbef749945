"""The moderators' feedback queue and the departments' routed-message list (Wagtail admin).

`FeedbackViewSet` is a snippet viewset (a ModelViewSet with Wagtail's listing, filters, bulk
actions, history and inspect views) guarded by the model permissions that only the
"Feedback moderators" group holds. `RoutedFeedbackViewSet` is a plain ModelViewSet over the
same model for department editors: it lists only messages routed to their departments,
shows the text but never the contact, and its form has the reply field only. Every change is
made through `projects.feedback.moderation`, which writes the audit log.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView
from wagtail.snippets.views.snippets import SnippetViewSet

from ..choices import FeedbackKind, FeedbackStatus, PhotoStatus
from ..models import Category, Department, District, Feedback, FeedbackPhoto, ProjectPage
from ..models.departments import department_ids
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
    """The reply due date, with how late an open message is, or that it was answered."""

    cell_template_name = "projects/feedback/admin/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["feedback"] = instance
        return context


class LinkedRowsMixin:
    """Each row's message links to its edit view, which returns to this listing, filters and
    page included, after saving (the `next` parameter)."""

    def _get_title_column(self, *args, **kwargs):
        column = super()._get_title_column(*args, **kwargs)
        column.label = _("Message")
        return column

    def get_edit_url(self, instance):
        url = super().get_edit_url(instance)
        if url:
            query = self.request.GET.urlencode()
            listing = f"{self.index_url}?{query}" if query else self.index_url
            url = f"{url}?{urlencode({'next': listing})}"
        return url


def next_query(request):
    """`?next=…` to hand on to a view that should return to the same listing, or ''."""
    next_url = get_valid_next_url_from_request(request) if request else ""
    return f"?{urlencode({'next': next_url})}" if next_url else ""


class ReturnToListingMixin:
    """The edit view keeps the listing it was opened from (`next`) through the save, and its
    breadcrumb leads back there too."""

    def get_edit_url(self):
        return super().get_edit_url() + next_query(self.request)

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or super().get_success_url()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        next_url = get_valid_next_url_from_request(self.request)
        if next_url and self.index_url_name:
            index_url = reverse(self.index_url_name)
            items = [
                {**item, "url": next_url} if item.get("url") == index_url else item
                for item in items
            ]
        return items


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
                    "next_query": next_query(self.request),
                }
            )
            return context


class AnswerStatusPanel(Panel):
    """Where the answer to the resident stands: routed where, answered by whom (a moderator or
    the routed department, from the audit log), and who can read it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/feedback/admin/answer_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            feedback = self.instance
            last_answer = (
                ModelLogEntry.objects.filter(
                    content_type__app_label="projects",
                    content_type__model="feedback",
                    object_id=str(feedback.pk),
                    action__in=[moderation.REPLY, moderation.DEPARTMENT_ANSWER],
                )
                .order_by("-timestamp", "-pk")
                .values_list("action", flat=True)
                .first()
            )
            context.update(
                {
                    "feedback": feedback,
                    "by_department": last_answer == moderation.DEPARTMENT_ANSWER,
                    "published": feedback.status == FeedbackStatus.PUBLISHED,
                }
            )
            return context


class FeedbackModerationForm(WagtailAdminModelForm):
    """Only the moderation fields, plus a per-photo reject list; what the resident wrote is
    shown by `FeedbackContentPanel` and cannot be edited.

    Routing is preselected to the item's department while the message still needs an answer,
    and applied on save unless the moderator picks "not routed" or marks the message as spam
    (`FeedbackEditView.save_instance`). A moderator may answer and route in one save: the
    resident reads that answer at once, and the department's answer, when it comes, replaces
    it (the log keeps the earlier text).
    """

    reject_photos = forms.ModelMultipleChoiceField(
        label=_("Reject photos"),
        queryset=FeedbackPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked photos are never published (e.g. they show faces or number plates)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        feedback = self.instance
        photos = feedback.photos.exclude(status=PhotoStatus.REJECTED) if feedback.pk else None
        if photos:
            self.fields["reject_photos"].queryset = photos
            self.fields["reject_photos"].label_from_instance = lambda p: (
                _("Photo %(n)s") % {"n": p.sort_order + 1}
            )
        else:  # nothing to reject: the panel is not shown
            del self.fields["reject_photos"]
        item_department_id = feedback.project.department_id if feedback.project_id else None
        signature = self.fields.get("reply_department")
        if signature is not None:
            signature.empty_label = _("The moderators (no department)")
            # While the message goes to a department, what a moderator writes is a holding note
            # in the moderators' name: signed by the department, it would read to the resident
            # as that department's answer before the department has said anything.
            routing = self.suggests_routing or feedback.routed_to_id
            if not feedback.reply_department_id and not routing:
                self.initial["reply_department"] = item_department_id
        routed = self.fields.get("routed_to")
        if routed is not None:
            routed.empty_label = _("Not routed (the moderators answer)")
            routed.label_from_instance = lambda department: (
                _("%(department)s (responsible for this item)")
                % {"department": department.display_name}
                if department.pk == item_department_id
                else department.display_name
            )
            if self.suggests_routing and item_department_id:
                self.initial["routed_to"] = item_department_id

    @cached_property
    def suggests_routing(self):
        feedback = self.instance
        return bool(
            feedback.pk
            and feedback.needs_reply
            and not feedback.reply
            and feedback.routed_to_id is None
            and feedback.status != FeedbackStatus.SPAM
        )

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
        if data.get("reply", "").strip() and status == FeedbackStatus.SPAM:
            self.add_error(
                "reply", _("Spam gets no answer. Choose another status to answer this message.")
            )
        return data


class FeedbackEditView(ReturnToListingMixin, SnippetEditView):
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
        routed_to = data.get("routed_to")
        if "routed_to" in data and routed_to != feedback.routed_to:
            # A preselected department is not applied to a message marked as spam.
            if "routed_to" in self.form.changed_data or status != FeedbackStatus.SPAM:
                moderation.route(feedback, user, routed_to)
        reply = (data.get("reply") or "").strip()
        department = data.get("reply_department")
        if reply and (reply != feedback.reply or department != feedback.reply_department):
            moderation.reply(feedback, user, reply, department)
        return feedback

    def get_success_message(self):
        return _("Feedback %(code)s saved.") % {"code": self.object.tracking_code}


class FeedbackIndexView(LinkedRowsMixin, SnippetIndexView):
    pass


class FeedbackInspectView(SnippetInspectView):
    """Empty fields (no rating, not routed, not closed) read as a dash, not Python's "None"."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None else value


class ResidentsOnlyPolicy(ModelPermissionPolicy):
    """Feedback's model permissions, less "add": only a resident's post makes a message, so
    neither the queue nor the department's screens offer an add form, even to a superuser
    (whose model permissions are all). Registered for Feedback in `wagtail_hooks`."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


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
    index_view_class = FeedbackIndexView
    edit_view_class = FeedbackEditView
    inspect_view_class = FeedbackInspectView
    list_per_page = 30
    list_export = ["tracking_code", "project_title", "kind", "status", "created_at", "reply_due"]

    def register_chooser_viewset(self):
        """No chooser: nothing picks a message from a chooser, and Wagtail's chooser views
        check no permission, so one would list every message to every admin user."""

    @cached_property
    def list_display(self):
        return [
            "excerpt",
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
            heading=_("Publication on the item page"),
        ),
        FieldPanel("reject_photos", heading=_("Photos")),
        MultiFieldPanel(
            [
                AnswerStatusPanel(),
                FieldPanel("reply"),
                FieldPanel("reply_department", widget=forms.Select),
            ],
            heading=_("Answer to the resident"),
        ),
        FieldPanel(
            "routed_to",
            widget=forms.Select,
            heading=_("Route to a department"),
            help_text=_(
                "Its editors see the message (never the contact) and write the answer; theirs "
                "replaces yours. Preselected: the item's department, while the message has no "
                "answer. Choose “Not routed” if you answer it yourself."
            ),
        ),
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
    """The department's answer; its help text says who will read it, given the message's
    publication status."""

    class Meta:
        model = Feedback
        fields = ["reply"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reply"]
        field.label = _("Your department's answer")
        resident = _(
            "The resident reads your answer on their status page (with their tracking code) as "
            "soon as you save it."
        )
        if self.instance.status == FeedbackStatus.PUBLISHED:
            public = _(
                "The message is published, so your answer is also shown under it on the item "
                "page, for everyone."
            )
        elif self.instance.status == FeedbackStatus.PENDING:
            public = _(
                "The message is still being reviewed: your answer appears on the item page only "
                "if a moderator publishes the message."
            )
        else:
            public = _("The message is not published, so nobody but the resident sees your answer.")
        field.help_text = f"{resident} {public}"

    def clean_reply(self):
        reply = self.cleaned_data.get("reply", "").strip()
        if not reply:
            raise forms.ValidationError(_("Please write the department's answer."))
        return reply


ROUTED_POLICY = RoutedFeedbackPolicy(Feedback)


class RoutedIndexView(LinkedRowsMixin, generic.IndexView):
    # Wagtail looks policies up per model; this view over the same model needs its own.
    permission_policy = ROUTED_POLICY
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
            .exclude(status=FeedbackStatus.SPAM)
            .defer("contact", "name")
            .select_related("routed_to")
        )


class RoutedEditView(ReturnToListingMixin, generic.EditView):
    permission_policy = ROUTED_POLICY

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if (
            not self.permission_policy.user_has_permission_for_instance(
                self.request.user, "change", obj
            )
            or obj.status == FeedbackStatus.SPAM
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
            by_department=True,
        )
        return feedback

    def get_success_message(self):
        return _("The answer to %(code)s has been saved.") % {"code": self.object.tracking_code}


class RoutedMenuItem(MenuItem):
    def is_shown(self, request):
        return ROUTED_POLICY.user_has_permission(request.user, "view")


class RoutedFeedbackViewSet(ModelViewSet):
    """Admin › Feedback for my department: answer what moderators routed to you."""

    model = Feedback
    name = "routed_feedback"
    url_prefix = "routed-feedback"
    icon = "mail"
    menu_label = _("Feedback for my department")
    menu_order = 260
    add_to_admin_menu = True
    menu_item_class = RoutedMenuItem
    index_view_class = RoutedIndexView
    edit_view_class = RoutedEditView
    inspect_view_enabled = False
    copy_view_enabled = False
    search_fields = ["message", "tracking_code", "project_title"]
    form_fields = ["reply"]

    @cached_property
    def list_display(self):
        return [
            "excerpt",
            Column("project_title", label=_("Item")),
            Column("get_kind_display", label=_("Kind")),
            Column("get_status_display", label=_("Status")),
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
