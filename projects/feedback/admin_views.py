"""Admin-only views: a pending photo through a permission check, and the logged contact reveal."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..models import Feedback, FeedbackPhoto
from . import moderation


@never_cache
def private_photo(request, pk):
    """Stream a resident's photo (pending or not) to a moderator; nobody else."""
    if not request.user.has_perm("projects.view_feedbackphoto"):
        raise PermissionDenied
    photo = get_object_or_404(FeedbackPhoto, pk=pk)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/png" if photo.file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


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
        {"feedback": feedback, "contact": contact, "name": feedback.name},
    )
