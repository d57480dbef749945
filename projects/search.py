"""Chinese-aware search over items.

SQLite's FTS5 and PostgreSQL's text search treat a run of Chinese characters as one word, so
"体育公园" would never match "将军山体育公园建设". Items are therefore indexed as overlapping
character bigrams (将军 军山 山体 体育 育公 公园 …) and a query is split the same way and
matched with AND: any word of two or more characters that appears in an item finds it. Latin
words and numbers are kept whole. The same tokens go to either database, so both give the
same results; ordering is decided here, not by backend scores.
"""

import re

from django.db.models import Q
from django.utils.html import strip_tags

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    """Bigrams for Chinese runs, lower-cased whole words for everything else."""
    result = []
    for run in TOKEN.findall(strip_tags(text or "")):
        if CJK_RUN.fullmatch(run):
            if len(run) == 1:
                result.append(run)
            else:
                result.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            result.append(run.lower())
    return result


def index_text(*parts: str) -> str:
    """The text stored in the search index for the given parts."""
    return " ".join(tokens(" ".join(part for part in parts if part)))


def query_text(query: str) -> str:
    """The query as index tokens, de-duplicated, in order."""
    return " ".join(dict.fromkeys(tokens(query)))


def item_number(query: str):
    """The item number a query names ("37"), or None. ASCII digits only: "1²" and "1①" count
    as digits for str.isdigit() but not for int()."""
    return int(query) if query.isascii() and query.isdecimal() else None


def search_items(query: str, queryset):
    """Items in `queryset` matching `query`: number and title matches first, then by number.

    Returns a list (the result of at most two queries), newest year first within each group.
    """
    from .models import ProjectPage

    query = (query or "").strip()
    terms = query_text(query)
    if not terms:
        return []
    results = ProjectPage.objects.live().search(terms, operator="and", order_by_relevance=False)
    matched_ids = [page.pk for page in results]
    number = item_number(query)
    matches = Q(pk__in=matched_ids) | (Q(number=number) if number is not None else Q())
    items = list(queryset.with_year().filter(matches))
    needle = query.lower()

    def rank(item):
        title_match = needle in item.title.lower()
        return (item.number != number, not title_match, -item.list_year, item.number)

    return sorted(items, key=rank)
