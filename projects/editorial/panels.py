"""Dashboard panels for editors and reviewers (added by `construct_homepage_panels`).

"My items" are the live items of the departments the user belongs to (`DepartmentMember`).
Figures are the items' stored ones (kept current by the progress-update signals).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from ..choices import Colour, Status
from ..models import ImportBatch, ProgressUpdatePage, ProjectPage
from ..models.departments import department_ids

PANEL_LIMIT = 20


def my_items(user):
    ids = department_ids(user)
    if not ids:
        return ProjectPage.objects.none()
    return (
        ProjectPage.objects.live()
        .filter(department_id__in=ids)
        .with_year()
        .select_related("department")
    )


def behind_items(user):
    return my_items(user).filter(colour__in=[Colour.RED, Colour.ORANGE]).order_by("-lag")


def stale_items(user, today=None):
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.PORTAL_STALE_DAYS)
    return (
        my_items(user)
        .exclude(status=Status.COMPLETED)
        .filter(planned_start__lte=cutoff)
        .filter(Q(last_update_date__isnull=True) | Q(last_update_date__lt=cutoff))
        .order_by("last_update_date", "number")
    )


def updates_awaiting_review(user):
    """Progress updates in moderation: those the user may review, or else those they sent."""
    states = (
        WorkflowState.objects.active()
        .filter(content_type=ContentType.objects.get_for_model(ProgressUpdatePage))
        .select_related("current_task_state__task", "requested_by")
    )
    may_review, sent = [], []
    for state in states:
        task = state.current_task_state.task.specific if state.current_task_state else None
        if task is not None and (
            user.is_superuser or task.groups.filter(pk__in=user.groups.all()).exists()
        ):
            may_review.append(int(state.object_id))
        elif state.requested_by_id == user.pk:
            sent.append(int(state.object_id))
    ids = may_review or sent
    pages = ProgressUpdatePage.objects.filter(pk__in=ids).order_by("date")[:PANEL_LIMIT]
    return bool(may_review), list(pages)


class ItemListPanel(Component):
    template_name = "projects/editorial/admin/panel_items.html"

    def __init__(self, name, heading, items, *, empty, order, show_update=False):
        self.name = name
        self.heading = heading
        self.items = items
        self.empty = empty
        self.order = order
        self.show_update = show_update

    def get_context_data(self, parent_context):
        return {
            "panel_id": self.name,
            "heading": self.heading,
            "items": self.items[:PANEL_LIMIT],
            "empty": self.empty,
            "show_update": self.show_update,
            "stale_days": settings.PORTAL_STALE_DAYS,
        }


class UpdatesAwaitingReviewPanel(Component):
    name = "updates_awaiting_review"
    template_name = "projects/editorial/admin/panel_updates.html"
    order = 95

    def __init__(self, user):
        self.reviewer, self.updates = updates_awaiting_review(user)

    def get_context_data(self, parent_context):
        heading = (
            _("Progress updates awaiting your review")
            if self.reviewer
            else _("Your progress updates awaiting review")
        )
        return {"heading": heading, "updates": self.updates}


def imports_awaiting_review(user, limit=10):
    """Recent imports with pages still awaiting a review this user may give: (batch, count)."""
    from wagtail.models import Page

    page_type = ContentType.objects.get_for_model(Page)
    found = []
    for batch in ImportBatch.objects.select_related("year_page", "imported_by")[:50]:
        states = WorkflowState.objects.active().filter(
            base_content_type=page_type, object_id__in=[str(pk) for pk in batch.page_ids]
        )
        state = states.select_related("current_task_state__task").first()
        if state is None or state.current_task_state is None:
            continue
        task = state.current_task_state.task.specific
        if user.is_superuser or task.groups.filter(pk__in=user.groups.all()).exists():
            found.append((batch, states.count()))
        if len(found) >= limit:
            break
    return found


class ImportsAwaitingReviewPanel(Component):
    name = "imports_awaiting_review"
    template_name = "projects/editorial/admin/panel_imports.html"
    order = 94

    def __init__(self, user):
        self.imports = imports_awaiting_review(user)

    def get_context_data(self, parent_context):
        return {
            "imports": self.imports,
            "csrf_token": parent_context.get("csrf_token"),
            "request": parent_context.get("request"),
        }


def panels_for(user):
    panels = []
    if department_ids(user):
        panels.append(
            ItemListPanel(
                "my_items_behind",
                _("My items behind schedule"),
                behind_items(user),
                empty=_("None of your items is orange or red."),
                order=90,
            )
        )
        panels.append(
            ItemListPanel(
                "my_items_stale",
                _("My items without a published update for %(days)s days")
                % {"days": settings.PORTAL_STALE_DAYS},
                stale_items(user),
                empty=_("Every item of yours has a recent update."),
                order=92,
                show_update=True,
            )
        )
    imports = ImportsAwaitingReviewPanel(user)
    if imports.imports:
        panels.append(imports)
    review = UpdatesAwaitingReviewPanel(user)
    if review.updates:
        panels.append(review)
    return panels
