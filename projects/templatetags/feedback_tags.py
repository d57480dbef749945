"""`{% feedback_section page as fb %}`: what the feedback section of an item or update needs.

Three queries whatever the number of messages: published messages (with the replying
department), their approved photos, and the rating summary.
"""

from django import template
from django.conf import settings

from ..choices import Status
from ..feedback.forms import FeedbackForm, RatingForm
from ..models import Feedback, ProgressUpdatePage, ProjectPage

register = template.Library()


@register.simple_tag
def feedback_section(page):
    if isinstance(page, ProgressUpdatePage):
        item = page.project
    elif isinstance(page, ProjectPage):
        item = page
    else:
        return {}
    if item is None:
        return {}
    summary = Feedback.objects.rating_summary(item)
    can_rate = item.status == Status.COMPLETED
    return {
        "item": item,
        "target": page,
        "messages": list(Feedback.objects.for_item_page(item)),
        "rating_average": summary["average"],
        "rating_count": summary["count"],
        "can_rate": can_rate,
        "form": FeedbackForm(),
        "rating_form": RatingForm() if can_rate else None,
        "reply_days": settings.FEEDBACK_REPLY_WORKING_DAYS,
    }


@register.filter
def stars(value):
    """'★★★★☆' for a 1–5 score (rounded)."""
    try:
        score = max(0, min(5, round(float(value))))
    except (TypeError, ValueError):
        return ""
    return "★" * score + "☆" * (5 - score)
