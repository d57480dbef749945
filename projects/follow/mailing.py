"""The followers' e-mail, sent by the background worker: the confirmation of a new follow,
and the daily digest of updates published on what an address follows.

Tasks take ids, never addresses, and look the row up when they run: a queued message for an
address that unsubscribed meanwhile is simply not sent, and the task queue never holds a
resident's address. Every message has a one-click unsubscribe link, and the List-Unsubscribe
and List-Unsubscribe-Post headers (RFC 8058) that let a mail app unsubscribe with one tap.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from wagtail.models import Page

from ..mail import BACKGROUND
from ..models import ProgressUpdatePage, ProjectPage
from .models import Follow, FollowKind, Subscriber
from .subscription import target_of

# An update shows under the most specific thing an address follows that it belongs to.
SPECIFICITY = {FollowKind.ITEM: 0, FollowKind.DISTRICT: 1, FollowKind.CATEGORY: 2}


def absolute(url):
    """A link for an e-mail: relative URLs on the public address (BASE_URL)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def unsubscribe_url(subscriber):
    return absolute(reverse("follow_unsubscribe", args=[subscriber.token]))


def _message(subscriber, subject, template, context):
    url = unsubscribe_url(subscriber)
    body = render_to_string(
        template,
        {**context, "unsubscribe_url": url, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    return EmailMessage(
        f"[{settings.WAGTAIL_SITE_NAME}] {subject}",
        body,
        None,
        [subscriber.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


@task(backend=BACKGROUND)
def send_confirmation(follow_id):
    """The double opt-in e-mail of one follow; nothing when it is gone or confirmed already."""
    follow = (
        Follow.objects.select_related("subscriber", "item", "district", "category")
        .filter(pk=follow_id, confirmed_at__isnull=True)
        .first()
    )
    if follow is None:
        return 0
    subscriber = follow.subscriber
    with translation.override(subscriber.language):
        target = target_of(follow)
        message = _message(
            subscriber,
            _("Please confirm: follow %(name)s") % {"name": target.name},
            "projects/follow/email/confirm.txt",
            {
                "target": target,
                "target_url": absolute(target.url),
                "confirm_url": absolute(reverse("follow_confirm", args=[follow.token])),
                "confirm_days": settings.FOLLOW_CONFIRM_DAYS,
            },
        )
    return message.send()


@dataclass
class Section:
    """The updates of one followed thing in a digest."""

    follow: Follow
    updates: list = field(default_factory=list)


def _published_updates(since):
    """Live, public updates first published after `since`, each with its item (`.item`)."""
    updates = list(
        ProgressUpdatePage.objects.live()
        .public()
        .filter(first_published_at__gt=since)
        .order_by("first_published_at")
    )
    paths = {update.path[: -Page.steplen] for update in updates}
    items = {
        item.path: item
        for item in ProjectPage.objects.live()
        .public()
        .filter(path__in=paths)
        .select_related("district", "category")
    }
    found = []
    for update in updates:
        update.item = items.get(update.path[: -Page.steplen])
        if update.item is not None:
            found.append(update)
    return found


def _matches(follow, item):
    if follow.kind == FollowKind.ITEM:
        return follow.item_id == item.pk
    if follow.kind == FollowKind.DISTRICT:
        return follow.district_id == item.district_id
    return follow.category_id == item.category_id


def sections_for(follows, updates, last_sent_at):
    """What one address's digest would hold: each update published since its follow was
    confirmed and since the last digest, once, under the most specific follow it matches."""
    sections = [Section(f) for f in sorted(follows, key=lambda f: (SPECIFICITY[f.kind], f.pk))]
    for update in updates:
        for section in sections:
            since = max(filter(None, (section.follow.confirmed_at, last_sent_at)))
            if update.first_published_at > since and _matches(section.follow, update.item):
                section.updates.append(update)
                break
    return [section for section in sections if section.updates]


def _confirmed_follows(subscriber_ids):
    return Follow.objects.filter(
        subscriber_id__in=subscriber_ids, confirmed_at__isnull=False
    ).select_related("item", "district", "category")


def due_subscribers(now=None):
    """Ids of the addresses with news whose last digest is at least FOLLOW_DIGEST_MIN_HOURS
    old: a few queries, whatever the number of addresses."""
    now = now or timezone.now()
    not_before = now - timedelta(hours=settings.FOLLOW_DIGEST_MIN_HOURS)
    subscribers = {
        s.pk: s
        for s in Subscriber.objects.filter(follows__confirmed_at__isnull=False)
        .exclude(last_sent_at__gt=not_before)
        .distinct()
        .only("pk", "last_sent_at")
    }
    follows = {}
    for follow in _confirmed_follows(list(subscribers)):
        follows.setdefault(follow.subscriber_id, []).append(follow)
    if not follows:
        return []
    earliest = min(
        max(filter(None, (f.confirmed_at, subscribers[f.subscriber_id].last_sent_at)))
        for group in follows.values()
        for f in group
    )
    updates = _published_updates(earliest)
    return [
        pk
        for pk, group in sorted(follows.items())
        if sections_for(group, updates, subscribers[pk].last_sent_at)
    ]


@task(backend=BACKGROUND)
def send_digest(subscriber_id):
    """One address's digest: at most one in FOLLOW_DIGEST_MIN_HOURS, whoever enqueues it (the
    row is locked while it is claimed, so two workers never both send it)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        now = timezone.now()
        not_before = now - timedelta(hours=settings.FOLLOW_DIGEST_MIN_HOURS)
        if subscriber is None or (subscriber.last_sent_at and subscriber.last_sent_at > not_before):
            return 0
        follows = list(_confirmed_follows([subscriber.pk]))
        if not follows:
            return 0
        since = min(max(filter(None, (f.confirmed_at, subscriber.last_sent_at))) for f in follows)
        sections = sections_for(follows, _published_updates(since), subscriber.last_sent_at)
        if not sections:
            return 0
        count = sum(len(section.updates) for section in sections)
        with translation.override(subscriber.language):
            message = _message(
                subscriber,
                ngettext(
                    "%(count)s new progress update on what you follow",
                    "%(count)s new progress updates on what you follow",
                    count,
                )
                % {"count": count},
                "projects/follow/email/digest.txt",
                {
                    "sections": [
                        (
                            target_of(section.follow),
                            [(u, absolute(u.get_url())) for u in section.updates],
                        )
                        for section in sections
                    ],
                },
            )
        previous = subscriber.last_sent_at
        subscriber.last_sent_at = now
        subscriber.save(update_fields=["last_sent_at"])
    # Sent outside the transaction (SQLite's write lock is not held while the mail server
    # answers); a failed send gives the address its day back, so the next run tries again.
    try:
        return message.send()
    except Exception:
        Subscriber.objects.filter(pk=subscriber.pk, last_sent_at=now).update(last_sent_at=previous)
        raise
