"""Display helpers for the public templates: money in 万元, percentages, the year navigation."""

from decimal import Decimal, InvalidOperation
from html import unescape
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.cache import caches
from django.templatetags.static import static
from django.utils.html import format_html, strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from projects import generations
from projects.choices import CategoryIcon
from projects.models import ProjectIndexPage

register = template.Library()


@register.filter
def plain_text(value):
    """Rich text as plain text for a snippet or a description: tags dropped and entities
    decoded (`striptags` alone leaves `&amp;`, which autoescaping then shows as `&amp;amp;`)."""
    return unescape(strip_tags(str(value or "")))


def _decimal(value):
    try:
        return Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        return None


def _trim(amount: Decimal, places: int) -> str:
    text = f"{amount:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money_parts(value, short=False):
    """(number, unit) of an amount stored in 万元 (10,000 yuan), for the active language.

    Chinese readers count in 万元 as the approved list does; English readers get millions of
    yuan (100 万元 = ¥1 million). `short` is for headline totals: 亿元 (10,000 万元) and
    billions from those sizes up, with at most two decimals.
    """
    amount = _decimal(value)
    if amount is None:
        return None
    if (get_language() or "").startswith("zh"):
        if short and amount >= 10_000:
            return _trim(amount / 10_000, 2), "亿元"
        return _trim(amount, 2), "万元"
    millions = amount / 100
    if short and millions >= 1_000:
        return _trim(millions / 1_000, 2), _("billion yuan")
    return _trim(millions, 2), _("million yuan")


@register.filter
def wan(value, arg=""):
    """Plain text: `1,234.5 万元` in Chinese, `12.35 million yuan` in English.

    `|wan:"short"` rounds large totals to 亿元 / billions for headline figures.
    """
    parts = _money_parts(value, short=arg == "short")
    return f"{parts[0]} {parts[1]}" if parts else ""


@register.filter
def wan_html(value, arg=""):
    """Like `wan`, with the number and the unit in spans so a figure can be set large."""
    parts = _money_parts(value, short=arg == "short")
    if not parts:
        return ""
    return format_html('<span class="num">{}</span> <span class="unit">{}</span>', *parts)


@register.filter
def percent_of(part, whole):
    """`part` as a whole percentage of `whole`, clamped to 0–100 (for bar widths)."""
    part, whole = _decimal(part), _decimal(whole)
    if part is None or not whole:
        return 0
    return max(0, min(100, round(100 * part / whole)))


@register.filter
def clamp_percent(value):
    value = _decimal(value)
    return 0 if value is None else max(0, min(100, round(value)))


@register.filter
def absolute(value):
    try:
        return abs(value)
    except TypeError:
        return value


class YearLink(NamedTuple):
    pk: int
    path: str
    year: int
    url: str


@register.simple_tag(takes_context=True)
def year_pages(context):
    """The live year lists of the current site, newest first, as `YearLink`s for the menu:
    read once per request, and kept in the fragments cache until the site is purged."""
    request = context.get("request")
    cached = getattr(request, "_portal_year_pages", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    generation = generations.generation(request, ("site",)) if request is not None else ""
    key = f"year-links:{site.pk if site else 0}:{generation}"
    years = caches["fragments"].get(key) if generation else None
    if years is None:
        pages = ProjectIndexPage.objects.live().order_by("-year")
        if site is not None:
            pages = pages.descendant_of(site.root_page)
        years = [YearLink(page.pk, page.path, page.year, page.get_url(request)) for page in pages]
        if generation:
            caches["fragments"].set(key, years, settings.FRAGMENT_CACHE_SECONDS)
    if request is not None:
        request._portal_year_pages = years
    return years


@register.simple_tag(takes_context=True)
def page_generation(context, *scopes):
    """`projects.generations.generation` of the request's page ("site", "section", "path"; all
    three by default) for `{% cache %}` keys, with its lifetime: `{% page_generation as g %}
    {% cache g.seconds "name" g.tokens … using="fragments" %}`. Off, it keeps nothing; nor
    in a preview, which shows a draft under an admin URL that no purge reaches."""
    request = context.get("request")
    if request is None or getattr(request, "is_preview", False):
        tokens = ""
    else:
        tokens = generations.generation(request, scopes or None)
    return {"tokens": tokens, "seconds": settings.FRAGMENT_CACHE_SECONDS if tokens else 0}


@register.filter
def startswith(value, prefix):
    """True when the string `value` starts with `prefix`, e.g. a page path and its ancestor's."""
    return str(value).startswith(str(prefix)) if prefix else False


@register.simple_tag
def category_icon(category):
    """The category's line icon from the sprite, hidden from screen readers (the name beside it
    says it all); nothing when the category has no icon or an unknown one."""
    if category is None or category.icon not in CategoryIcon.values:
        return ""
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("img/icons/categories.svg"),
        category.icon,
    )


@register.simple_tag(takes_context=True)
def page_link(context, number):
    """The current URL showing page `number` of a list (components/pager.html): every other GET
    parameter (keyword, filters, sort) kept, `page` left out for the first page."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if int(number) != 1:
        params["page"] = number
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path
