"""`{% follow_target "item" page as target %}`: what the follow box of a page follows."""

from django import template

from ..follow.models import FollowKind
from ..follow.subscription import Target

register = template.Library()


@register.simple_tag
def follow_target(kind, obj):
    """The Target for an item page or a district or category snippet; None without one."""
    if obj is None:
        return None
    return Target(kind, obj, str(obj.pk) if kind == FollowKind.ITEM else obj.slug)
