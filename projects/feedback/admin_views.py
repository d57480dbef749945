"""Admin-only views: a pending photo through a permission check, and the logged contact reveal."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..models import Feedback, FeedbackPhoto
from . import moderation
from .storage import private_photo_response
from .viewsets import next_query


@never_cache
def private_photo(request, pk):
    """Stream a resident's photo (pending or not) to a moderator; nobody else."""
    if not request.user.has_perm("projects.view_feedbackphoto"):
        raise PermissionDenied
    return private_photo_response(get_object_or_404(FeedbackPhoto, pk=pk))


@never_cache
@require_POST
@permission_required("projects.view_feedback_contact", raise_exception=True)
def reveal_contact(request, pk):
    """Show one message's contact details and record who looked, in the audit log."""
    feedback = get_object_or_404(Feedback, pk=pk)
    contact = moderation.reveal_contact(feedback, request.user)
    return TemplateResponse(
        request,
        "projects/feedback/admin/contact.html",
        {
            "feedback": feedback,
            "contact": contact,
            "name": feedback.name,
            "next_query": next_query(request),
        },
    )
