"""What residents say about an item, and how moderators answer it.

A `Feedback` is a record, not a page: what the resident wrote is never edited by staff; only
the moderation fields change (through `projects.feedback.moderation`, which also writes the
audit log). The item's title is snapshotted so the message keeps its context if the item is
deleted. Contact details are private: they are excluded from every public view, from the
editors' listing, and erased after the retention period (`erase_feedback_contacts`).

Two decisions are kept apart, as on a 12345 hotline: `status` says whether the message is
shown on the item page; `reply` is the one answer to the resident, written by a moderator or
by the department the message was routed to, and shown on the resident's status page whatever
the status (spam aside). `closed_at` marks when the resident had that answer.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import KINDS_WITHOUT_REPLY, FeedbackKind, FeedbackStatus, PhotoStatus
from .deadlines import working_days_between
from .storage import get_private_storage

# Crockford-style alphabet without 0/O, 1/I/L, U: easy to read out over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 30**16 ≈ 2**78: not guessable, even at a million tries a second


def new_tracking_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def private_photo_path(instance, filename):
    """A random name under a dated folder: the resident's file name is never kept."""
    ext = "png" if filename.lower().endswith(".png") else "jpg"
    return f"feedback/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class FeedbackQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FeedbackStatus.PUBLISHED)

    def open(self):
        """Messages whose resident is still waiting for an answer (or, for praise and
        ratings, for a moderator), published or not."""
        return self.filter(closed_at__isnull=True).exclude(status=FeedbackStatus.SPAM)

    def overdue(self, today=None):
        """Open messages whose reply deadline (in working days) has passed."""
        today = today or timezone.localdate()
        return self.open().filter(reply_due__lt=today)

    def for_item_page(self, project):
        """Published messages of one item (and its updates), newest first, no private data."""
        return (
            self.published()
            .filter(project=project)
            .exclude(kind=FeedbackKind.RATING, message="")
            .select_related("reply_department")
            .prefetch_related(
                models.Prefetch(
                    "photos",
                    queryset=FeedbackPhoto.objects.filter(
                        status=PhotoStatus.APPROVED, public_image__isnull=False
                    )
                    .select_related("public_image")
                    .prefetch_related("public_image__renditions"),
                    to_attr="public_photos",
                )
            )
            .defer("contact", "name")
            .order_by("-published_at", "-pk")
        )

    def rating_summary(self, project):
        return (
            self.published()
            .filter(project=project, kind=FeedbackKind.RATING)
            .aggregate(average=Avg("rating"), count=Count("pk"))
        )


class Feedback(models.Model):
    """One resident's message about an item: suggestion, question, complaint, praise,
    correction or a satisfaction rating. Moderated in the admin's feedback queue."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("item"),
    )
    update = models.ForeignKey(
        "projects.ProgressUpdatePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("progress update"),
        help_text=_("Set when the message was left on a progress update's page."),
    )
    project_title = models.CharField(
        _("item title (when submitted)"),
        max_length=255,
        help_text=_("Kept so the message still shows what it was about if the item is deleted."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    message = models.TextField(_("message"), blank=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    show_name = models.BooleanField(_("show name publicly"), default=False)
    contact = models.CharField(
        _("contact (private)"),
        max_length=100,
        blank=True,
        help_text=_("Phone or email; only moderators see it, and it is erased after retention."),
    )
    contact_erased_at = models.DateTimeField(_("contact erased"), null=True, blank=True)
    tracking_code = models.CharField(
        _("tracking code"), max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    message_digest = models.CharField(max_length=64, db_index=True, editable=False)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.PENDING,
        db_index=True,
        help_text=_(
            "Whether the message is shown on the item page. A message that is not published "
            "still gets an answer on the resident's status page; only spam gets none."
        ),
    )
    moderation_reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_(
            "Why the message is not published or is spam (for the moderators; the resident "
            "and the public never see it)."
        ),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    reply = models.TextField(
        _("answer to the resident"),
        blank=True,
        help_text=_(
            "The resident reads it on their status page as soon as it is saved, published or "
            "not; the public sees it on the item page only if the message is published."
        ),
    )
    reply_department = models.ForeignKey(
        "projects.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answering department"),
        help_text=_("The answer is shown as this department's answer."),
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replied by"),
    )
    routed_to = models.ForeignKey(
        "projects.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routed_feedback",
        verbose_name=_("routed to"),
        help_text=_(
            "The department asked to answer; its editors see the message, not the contact."
        ),
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    reply_due = models.DateField(
        _("reply due"),
        db_index=True,
        help_text=_("Counted in working days (Chinese public holidays and make-up days)."),
    )
    closed_at = models.DateTimeField(
        _("closed"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the resident had their answer (praise and ratings: when moderated; spam: at "
            "once)."
        ),
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_feedback_contact", _("Can see residents' contact details")),
        ]
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.tracking_code} · {self.get_kind_display()} · {self.project_title}"

    @property
    def excerpt(self):
        text = " ".join(self.message.split())
        if self.kind == FeedbackKind.RATING and self.rating:
            text = f"{'★' * self.rating} {text}".strip()
        return text if len(text) <= 60 else f"{text[:59]}…"

    @property
    def needs_reply(self):
        return self.kind not in KINDS_WITHOUT_REPLY

    @property
    def public_name(self):
        return self.name if (self.show_name and self.name) else ""

    @property
    def is_overdue(self):
        """Still open after its reply deadline (the rule of `FeedbackQuerySet.overdue`)."""
        return (
            self.closed_at is None
            and self.status != FeedbackStatus.SPAM
            and self.reply_due is not None
            and self.reply_due < timezone.localdate()
        )

    @property
    def working_days_overdue(self):
        """Working days since the deadline (0 on a weekend right after it); None if not late."""
        if not self.is_overdue:
            return None
        return working_days_between(self.reply_due, timezone.localdate())

    @property
    def is_answered(self):
        return bool(self.reply) and self.status != FeedbackStatus.SPAM


class FeedbackPhoto(models.Model):
    """A resident's photo, sanitised on upload and kept in private storage.

    It becomes public only as `public_image` (a PortalImage in the "居民留言照片"
    collection) once the message is published and the photo itself is not rejected.
    """

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=private_photo_path, max_length=200
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=PhotoStatus.choices, default=PhotoStatus.PENDING
    )
    public_image = models.ForeignKey(
        "projects.PortalImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published image"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("feedback photo")
        verbose_name_plural = _("feedback photos")

    def __str__(self):
        return f"{self.feedback.tracking_code} #{self.sort_order + 1}"
