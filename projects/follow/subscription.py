"""Following by e-mail: what can be followed, subscribing, confirming, unsubscribing.

A follow starts unconfirmed; its confirmation e-mail (projects.follow.mailing) carries the
follow's token, and only a confirmed follow ever gets a digest (double opt-in). Unsubscribing
deletes the address and everything it follows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Category, District, ProjectIndexPage, ProjectPage
from .models import Follow, FollowKind, Subscriber


@dataclass
class Target:
    """Something a resident can follow, as the pages and e-mails name it."""

    kind: str
    obj: object
    ref: str  # what the form posts: the item's page id, or the snippet's slug

    @property
    def name(self):
        if self.kind == FollowKind.ITEM:
            return _("No. %(number)s %(title)s (%(year)s)") % {
                "number": self.obj.number,
                "title": self.obj.display_title,
                "year": self.obj.year_page.year if self.obj.year_page else "",
            }
        if self.kind == FollowKind.DISTRICT:
            return _("Items in %(district)s") % {"district": self.obj.display_name}
        return _("Items in the category %(category)s") % {"category": self.obj.display_name}

    @property
    def url(self):
        """Where the followed thing is shown: the item, or the latest year's filtered list."""
        if self.kind == FollowKind.ITEM:
            return self.obj.url
        year = ProjectIndexPage.objects.live().public().order_by("-year").first()
        return f"{year.url}?{self.kind}={self.obj.slug}" if year else "/"


def resolve_target(kind, ref):
    """The live, public item (by page id) or the district or category (by slug), or None."""
    ref = str(ref or "").strip()
    if kind == FollowKind.ITEM:
        if not ref.isdigit() or len(ref) > 9:
            return None
        item = ProjectPage.objects.live().public().filter(pk=int(ref)).first()
        return Target(kind, item, ref) if item else None
    model = {FollowKind.DISTRICT: District, FollowKind.CATEGORY: Category}.get(kind)
    if model is None or not ref or len(ref) > 60:
        return None
    snippet = model.objects.filter(slug=ref).first()
    return Target(kind, snippet, ref) if snippet else None


def target_of(follow):
    ref = str(follow.item_id) if follow.kind == FollowKind.ITEM else follow.target.slug
    return Target(follow.kind, follow.target, ref)


def normalise_email(email):
    """The address as typed, with its domain in lower case; one row per mailbox."""
    return BaseUserManager.normalize_email(email.strip())


@transaction.atomic
def subscribe(email, language, target):
    """Record that `email` wants to follow `target`. Returns the follow when it still needs
    confirming (send it a confirmation), None when it is confirmed already."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=normalise_email(email), defaults={"language": language}
    )
    follow, _created = Follow.objects.get_or_create(
        subscriber=subscriber, kind=target.kind, **{target.kind: target.obj}
    )
    return None if follow.confirmed_at else follow


def confirm(token):
    """Confirm the follow with this token; its address speaks this language from now on."""
    follow = (
        Follow.objects.select_related("subscriber", "item", "district", "category")
        .filter(token=token)
        .first()
        if token
        else None
    )
    if follow is not None and follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
    return follow


def subscriber_for(token):
    return Subscriber.objects.filter(token=token).first() if token else None


def unsubscribe(token):
    """Erase the address with this unsubscribe token and all it follows; False if none."""
    deleted, _by_model = Subscriber.objects.filter(token=token).delete() if token else (0, {})
    return bool(deleted)


def erase_unconfirmed(now=None):
    """Erase follows never confirmed within FOLLOW_CONFIRM_DAYS, and the addresses left with
    nothing confirmed. Returns how many addresses were erased."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    Follow.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    _deleted, by_model = (
        Subscriber.objects.filter(created_at__lt=cutoff)
        .exclude(follows__confirmed_at__isnull=False)
        .delete()
    )
    return by_model.get(Subscriber._meta.label, 0)
