"""Running a resident's query: synonyms from the editors' list, the index, then our own ranking.

The index (Wagtail's database backend: FTS5 on SQLite, tsvector on PostgreSQL) only answers
"which items have these tokens"; both get the same tokens and the same boolean query, so they
give the same items. Ranking is done here, on the items' own fields, for the same reason.
A search costs the same queries whatever the number of items: the synonym list, the index
(again when it falls back to "some of the words"), the items.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import get_language
from wagtail.search.query import And, Or, PlainText

from ..models import Category, ProjectIndexPage, ProjectPage, SearchSynonym
from .text import Concept, is_chinese, parse_query, shorter_words, term_tokens, tokens

# Weights of where a concept is found, for ranking: an item about the thing before one that
# mentions it.
TITLE, CATEGORY, SUMMARY = 3, 2, 1


@dataclass
class SearchResult:
    """The items found, best first. `partial` when no item had every word and these items have
    some of them; `concepts` is what the query was understood as."""

    items: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    partial: bool = False


def item_number(query: str):
    """The item number a query names ("37"), or None. ASCII digits only: "1²" and "1①" count
    as digits for str.isdigit() but not for int()."""
    return int(query) if query.isascii() and query.isdecimal() else None


def _term_query(term):
    return PlainText(" ".join(term_tokens(term)), operator="and")


def _concept_query(concept: Concept):
    queries = [_term_query(term) for term in concept.alternatives]
    return queries[0] if len(queries) == 1 else Or(queries)


def _matching_ids(concepts, *, every):
    queries = [_concept_query(concept) for concept in concepts]
    query = queries[0] if len(queries) == 1 else (And(queries) if every else Or(queries))
    results = ProjectPage.objects.live().search(query, order_by_relevance=False)
    return [page.pk for page in results]


def _found_in(text_tokens, concept):
    return any(set(term_tokens(term)) <= text_tokens for term in concept.alternatives)


def _score(item, concepts):
    """How much the item is about the query: concepts found in its title, category, summary."""
    title = set(tokens(f"{item.title} {item.title_en}", unigrams=True))
    category = set(tokens(f"{item.category.name} {item.category.name_en}", unigrams=True))
    summary = set(tokens(item.summary, unigrams=True))
    score = 0
    for concept in concepts:
        weight = 1 if concept.required else 0.25
        score += weight * TITLE * _found_in(title, concept)
        score += weight * CATEGORY * _found_in(category, concept)
        score += weight * SUMMARY * _found_in(summary, concept)
    return score


def search_items(query: str, queryset) -> SearchResult:
    """Items in `queryset` matching `query`, best first.

    An item must match every required concept; when none does, items matching any of them are
    returned with `partial` set. The item with the number typed comes first, then items whose
    title contains the query as typed, then by score, newest year first, by number.
    """
    query = (query or "").strip()
    concepts = parse_query(query, SearchSynonym.mapping())
    required = [concept for concept in concepts if concept.required]
    if not required:
        return SearchResult(concepts=concepts)
    number = item_number(query)
    matched = _matching_ids(required, every=True)
    partial = False
    if not matched and number is None and len(required) > 1:
        matched = _matching_ids(required, every=False)
        partial = bool(matched)
    matches = Q(pk__in=matched) | (Q(number=number) if number is not None else Q(pk__in=[]))
    items = list(queryset.with_year().filter(matches))
    needle = query.lower()

    def rank(item):
        # A single character in a title says little (路 in 健身路径): the score decides then.
        title_match = len(needle) > 1 and (
            needle in item.title.lower() or needle in item.title_en.lower()
        )
        return (
            item.number != number,
            not title_match,
            -_score(item, concepts),
            -item.list_year,
            item.number,
        )

    return SearchResult(items=sorted(items, key=rank), concepts=concepts, partial=partial)


def suggestions(query: str, concepts) -> dict:
    """What to offer when a search finds nothing, in the visitor's language.

    `words`: shorter words inside the query's words that find items (a search with several
    words that finds nothing together shows the items with some of them instead); `popular`:
    the synonyms editors marked as suggestions, in the visitor's script; `categories` and
    `year`: the current year's list by category. Only the no-result page pays for this.
    """
    candidates = [word for concept in concepts for word in shorter_words(concept.word)]
    words = [
        word
        for word in candidates[:6]
        if _matching_ids([Concept(word, (word,), required=True)], every=True)
    ]
    english = (get_language() or "").startswith("en")
    popular = [
        term
        for term in SearchSynonym.objects.filter(suggested=True).values_list("term", flat=True)
        if is_chinese(term) != english
    ]
    year = ProjectIndexPage.objects.live().order_by("-year").first()
    categories = []
    if year:
        items = ProjectPage.objects.child_of(year).live()
        categories = list(Category.objects.filter(projects__in=items).distinct())
    return {"words": words, "popular": popular, "categories": categories, "year": year}
