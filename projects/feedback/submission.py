"""Store a resident's valid submission exactly once.

The check for an identical message and the insert run in one transaction that first locks
the item's row: on PostgreSQL `SELECT … FOR UPDATE` serialises submissions to the same item;
on SQLite the settings open every transaction with BEGIN IMMEDIATE, which takes the write
lock up front. So N concurrent distinct posts store N rows, and a double-submitted identical
message is stored once (the second gets the first one's tracking code).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..choices import FeedbackKind, PhotoStatus
from ..models import Feedback, FeedbackPhoto, ProjectPage
from .deadlines import reply_due
from .storage import private_storage


def normalise(text):
    return " ".join((text or "").split())


def message_digest(project_id, text):
    body = normalise(text)
    if not body:
        return ""
    return hashlib.sha256(f"{project_id}\n{body}".encode()).hexdigest()


def store_feedback(
    *,
    project,
    update=None,
    kind,
    message,
    rating=None,
    name="",
    show_name=False,
    contact="",
    photos=(),
):
    """Create the feedback (and its sanitised photos); return (feedback, created)."""
    now = timezone.now()
    digest = message_digest(project.pk, message)
    saved_files = []
    try:
        with transaction.atomic():
            # Lock the item row (PostgreSQL); SQLite is already serialised by BEGIN IMMEDIATE.
            list(ProjectPage.objects.select_for_update().filter(pk=project.pk).values("pk"))
            if digest:
                window = now - timedelta(hours=settings.FEEDBACK_DUPLICATE_WINDOW_HOURS)
                existing = Feedback.objects.filter(
                    project=project, message_digest=digest, created_at__gte=window
                ).first()
                if existing is not None:
                    return existing, False
            feedback = Feedback.objects.create(
                project=project,
                update=update,
                project_title=str(project)[:255],
                kind=kind,
                rating=rating if kind == FeedbackKind.RATING else None,
                message=message,
                name=name,
                show_name=bool(show_name and name),
                contact=contact,
                message_digest=digest,
                created_at=now,
                reply_due=reply_due(now),
            )
            for index, photo in enumerate(photos):
                record = FeedbackPhoto(
                    feedback=feedback,
                    width=photo.width,
                    height=photo.height,
                    sort_order=index,
                    status=PhotoStatus.PENDING,
                )
                record.file.save(photo.content.name, photo.content, save=False)
                saved_files.append(record.file.name)
                record.save()
            return feedback, True
    except Exception:
        for name_ in saved_files:
            private_storage.delete(name_)
        raise
