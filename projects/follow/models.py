"""Residents who follow an item, a district or a category by e-mail (no account).

An address is personal information kept for this one purpose: it is never shown in the admin,
the API or the exports, and unsubscribing deletes the `Subscriber` row and with it every
`Follow` (the address is gone from the database). An address that never confirms is erased
after `FOLLOW_CONFIRM_DAYS` (`send_follow_digest`). Links in e-mails carry random tokens:
`Follow.token` confirms one follow, `Subscriber.token` unsubscribes the address from all.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(24)  # 192 bits


class FollowKind(models.TextChoices):
    ITEM = "item", _("item")
    DISTRICT = "district", _("district")
    CATEGORY = "category", _("category")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=10)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last digest went out: the next covers updates published after it.
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return f"Subscriber {self.pk}"  # never the address: it may end up in logs


class Follow(models.Model):
    """One thing an address follows: exactly one of item, district, category."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=10, choices=FollowKind.choices)
    item = models.ForeignKey(
        "projects.ProjectPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "projects.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "projects.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                name="follow_exactly_one_target",
                condition=(
                    Q(kind="item", item__isnull=False, district=None, category=None)
                    | Q(kind="district", district__isnull=False, item=None, category=None)
                    | Q(kind="category", category__isnull=False, item=None, district=None)
                ),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "item"], name="follow_item_once", condition=Q(kind="item")
            ),
            models.UniqueConstraint(
                fields=["subscriber", "district"],
                name="follow_district_once",
                condition=Q(kind="district"),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "category"],
                name="follow_category_once",
                condition=Q(kind="category"),
            ),
        ]

    def __str__(self):
        return f"Follow {self.pk} ({self.kind})"

    @property
    def target(self):
        return getattr(self, self.kind)
