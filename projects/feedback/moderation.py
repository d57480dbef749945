"""Every moderation step on residents' feedback, each written to Wagtail's audit log.

The admin's edit view, bulk actions, the routed-reply view and the management commands all
go through these functions, so the log (`ModelLogEntry`, shown in the message's history and
in Reports › Site history) records who did what and when, whatever screen was used. The
action names are registered in `projects.wagtail_hooks`.
"""

import io
import uuid

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Collection

from ..choices import FeedbackStatus, PhotoStatus
from ..models import Feedback, PortalImage

APPROVE = "projects.feedback.approve"
REJECT = "projects.feedback.reject"
SPAM = "projects.feedback.spam"
REPLY = "projects.feedback.reply"
DEPARTMENT_ANSWER = "projects.feedback.department_answer"
ROUTE = "projects.feedback.route"
REJECT_PHOTO = "projects.feedback.reject_photo"
REVEAL_CONTACT = "projects.feedback.reveal_contact"
ERASE_CONTACT = "projects.feedback.erase_contact"

# Data, not a translatable string: named in Chinese, the admin's language (migration 0012).
RESIDENT_PHOTOS_COLLECTION = "居民留言照片"

# Sent after every change a visitor can see (approve, reject, spam, reply, photo rejected),
# with `feedback` and `project`: a page cache connects here to purge the item's pages.
public_feedback_changed = Signal()


def _changed_publicly(feedback):
    project = feedback.project

    def notify():
        public_feedback_changed.send(sender=Feedback, feedback=feedback, project=project)
        if project is not None and apps.is_installed("wagtail.contrib.frontend_cache"):
            from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

            purge_page_from_cache(project)

    transaction.on_commit(notify)


def residents_collection():
    """The image collection approved residents' photos are copied into."""
    existing = Collection.objects.filter(name=RESIDENT_PHOTOS_COLLECTION).first()
    if existing:
        return existing
    return Collection.get_first_root_node().add_child(name=RESIDENT_PHOTOS_COLLECTION)


def _publish_photo(photo):
    """Copy a sanitised private photo into the public image library."""
    if photo.public_image_id:
        return
    with photo.file.open("rb") as handle:
        data = handle.read()
    ext = "png" if photo.file.name.endswith(".png") else "jpg"
    image = PortalImage(
        title=_("Resident's photo %(code)s-%(n)s")
        % {"code": photo.feedback.tracking_code[:6], "n": photo.sort_order + 1},
        collection=residents_collection(),
        credit=_("Resident"),
        date_taken=timezone.localdate(photo.feedback.created_at),
        file=ImageFile(io.BytesIO(data), name=f"resident-{uuid.uuid4().hex}.{ext}"),
    )
    image.save()
    photo.public_image = image
    photo.status = PhotoStatus.APPROVED
    photo.save(update_fields=["public_image", "status"])


def _withdraw_photo(photo, status=None):
    """Remove a photo's public copy (file and renditions) so its URL stops working."""
    image = photo.public_image
    photo.public_image = None
    if status:
        photo.status = status
    photo.save(update_fields=["public_image", "status"])
    if image is not None:
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)
        image.delete()


def _settle(feedback, now):
    """Close a message once its resident has had what is due to them, whether or not it is
    published: an answer, or (praise, ratings) a moderator's decision; spam gets nothing.
    Anything else is open again (say, spam put back to published without an answer)."""
    done = (
        feedback.status == FeedbackStatus.SPAM
        or bool(feedback.reply)
        or (not feedback.needs_reply and feedback.status != FeedbackStatus.PENDING)
    )
    feedback.closed_at = (feedback.closed_at or now) if done else None


@transaction.atomic
def approve(feedback, user):
    now = timezone.now()
    feedback.status = FeedbackStatus.PUBLISHED
    feedback.moderation_reason = ""
    feedback.moderated_at = now
    feedback.moderated_by = user
    feedback.published_at = feedback.published_at or now
    _settle(feedback, now)
    feedback.save()
    for photo in feedback.photos.exclude(status=PhotoStatus.REJECTED):
        _publish_photo(photo)
    log(feedback, APPROVE, user=user)
    _changed_publicly(feedback)


@transaction.atomic
def reject(feedback, user, reason="", spam=False):
    """Keep the message off the item page. Unless it is spam it still needs its answer."""
    now = timezone.now()
    feedback.status = FeedbackStatus.SPAM if spam else FeedbackStatus.REJECTED
    feedback.moderation_reason = reason
    feedback.moderated_at = now
    feedback.moderated_by = user
    _settle(feedback, now)
    feedback.save()
    for photo in feedback.photos.filter(public_image__isnull=False):
        _withdraw_photo(photo, PhotoStatus.PENDING)
    log(feedback, SPAM if spam else REJECT, user=user, data={"reason": reason})
    _changed_publicly(feedback)


@transaction.atomic
def reply(feedback, user, text, department=None, *, by_department=False):
    """Write (or correct) the one answer to the resident, published or not.

    A moderator's answer is logged as REPLY, the routed department's as DEPARTMENT_ANSWER;
    an answer that replaces another keeps the earlier text in the log entry.
    """
    now = timezone.now()
    previous = feedback.reply
    feedback.reply = text
    # Unsigned, a moderator's answer speaks for the item's department, unless the message is
    # routed: then it is the moderators' holding note until the department answers itself.
    fallback = None if feedback.routed_to_id else _item_department(feedback)
    feedback.reply_department = department or feedback.reply_department or fallback
    feedback.replied_at = now
    feedback.replied_by = user
    _settle(feedback, now)
    feedback.save()
    data = {"department": str(feedback.reply_department or "")}
    if previous and previous != text:
        data["previous"] = previous
    log(feedback, DEPARTMENT_ANSWER if by_department else REPLY, user=user, data=data)
    if feedback.status == FeedbackStatus.PUBLISHED:
        _changed_publicly(feedback)


@transaction.atomic
def route(feedback, user, department):
    feedback.routed_to = department
    feedback.routed_at = timezone.now() if department else None
    feedback.save(update_fields=["routed_to", "routed_at"])
    log(feedback, ROUTE, user=user, data={"department": str(department or "")})


@transaction.atomic
def reject_photo(photo, user):
    _withdraw_photo(photo, PhotoStatus.REJECTED)
    log(photo.feedback, REJECT_PHOTO, user=user, data={"photo": photo.pk})
    _changed_publicly(photo.feedback)


def reveal_contact(feedback, user):
    log(feedback, REVEAL_CONTACT, user=user)
    return feedback.contact


def erase_contact(feedback, user=None):
    feedback.contact = ""
    if not feedback.show_name:
        feedback.name = ""
    feedback.contact_erased_at = timezone.now()
    feedback.save(update_fields=["contact", "name", "contact_erased_at"])
    log(feedback, ERASE_CONTACT, user=user)


def _item_department(feedback):
    project = feedback.project
    return project.department if project is not None else None


class _DataFormatter(LogFormatter):
    """Shows the reason or department stored with the entry beside the action's message."""

    key = ""

    def format_message(self, log_entry):
        detail = (log_entry.data or {}).get(self.key)
        return f"{self.message}: {detail}" if detail else str(self.message)


def register_log_actions(actions):
    """Called from the `register_log_actions` hook in `projects.wagtail_hooks`."""
    for action, label, message, key in [
        (APPROVE, _l("Approve feedback"), _l("Feedback approved and published"), ""),
        (REJECT, _l("Reject feedback"), _l("Feedback rejected"), "reason"),
        (SPAM, _l("Mark feedback as spam"), _l("Feedback marked as spam"), "reason"),
        (REPLY, _l("Reply to feedback"), _l("Official reply written"), "department"),
        (
            DEPARTMENT_ANSWER,
            _l("Department's answer to feedback"),
            _l("Answer written by the routed department"),
            "department",
        ),
        (ROUTE, _l("Route feedback"), _l("Feedback routed to"), "department"),
        (REJECT_PHOTO, _l("Reject feedback photo"), _l("A photo was rejected"), ""),
        (REVEAL_CONTACT, _l("Reveal contact"), _l("Contact details viewed"), ""),
        (ERASE_CONTACT, _l("Erase contact"), _l("Contact details erased (retention)"), ""),
    ]:
        formatter = type(
            "FeedbackLogFormatter",
            (_DataFormatter,),
            {"label": label, "message": message, "key": key},
        )
        actions.register_action(action)(formatter)
