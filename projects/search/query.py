"""Running a resident's query: synonyms from the editors' list, the index, then our own ranking.

The index (Wagtail's database backend: FTS5 on SQLite, tsvector on PostgreSQL) only answers
"which items have these tokens"; both get the same tokens and the same boolean query, so they
give the same items. Ranking is done here, on the items' own fields, for the same reason.
A search costs the same queries whatever the number of items: the synonym list, the index
joined with the compact rows ranking needs (again when it falls back to "some of the words"),
the categories' names, then only the items of the page shown (`SearchResult`).
"""

from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from wagtail.search.models import IndexEntry
from wagtail.search.query import And, Or, PlainText

from ..models import Category, ProjectIndexPage, ProjectPage, SearchSynonym
from ..pagination import ItemIds
from .text import Concept, is_chinese, parse_query, shorter_words, term_tokens, tokens

# Weights of where a concept is found, for ranking: an item about the thing before one that
# mentions it.
TITLE, CATEGORY, SUMMARY = 3, 2, 1


class SearchResult(ItemIds):
    """The items found, best first (or in the order asked), as a lazy sequence (`ItemIds`).

    Ranking works on compact rows of every match; the items themselves (with whatever the
    caller's queryset selects and prefetches for cards) are fetched only for the slice shown.
    `partial` when no item had every word and these items have some of them; `concepts` is
    what the query was understood as.
    """

    def __init__(self, ids=(), *, queryset=None, concepts=(), partial=False):
        # Results span years: each card names its year.
        super().__init__(ids, queryset=queryset.with_year() if queryset is not None else None)
        self.concepts = list(concepts)
        self.partial = partial


def item_number(query: str):
    """The item number a query names ("37"), or None. ASCII digits only: "1²" and "1①" count
    as digits for str.isdigit() but not for int()."""
    return int(query) if query.isascii() and query.isdecimal() else None


def _term_query(term):
    return PlainText(" ".join(term_tokens(term)), operator="and")


def _concept_query(concept: Concept):
    queries = [_term_query(term) for term in concept.alternatives]
    return queries[0] if len(queries) == 1 else Or(queries)


def _matching(concepts, *, every):
    """The ids of the items the index finds, as a subquery where the backend allows it (the
    database backends), so thousands of matches never become thousands of objects."""
    queries = [_concept_query(concept) for concept in concepts]
    query = queries[0] if len(queries) == 1 else (And(queries) if every else Or(queries))
    results = ProjectPage.objects.live().search(query, order_by_relevance=False)
    if not hasattr(results, "get_queryset"):
        return [page.pk for page in results]
    ids = results.get_queryset().values("pk")
    if connection.vendor != "sqlite":
        return ids
    # SQLite's planner walks the index entries of the model and scans the FTS5 matches for each
    # (0.5 s for 建设 over 10,000 items); CROSS JOIN, which SQLite reads as "this order", makes
    # it read the matches first (0.07 s). Same rows either way; if Wagtail's SQL ever changes
    # shape the replacement simply does not apply.
    sql, params = ids.query.sql_with_params()
    sql = sql.replace(
        f'INNER JOIN "{IndexEntry._meta.db_table}"', f'CROSS JOIN "{IndexEntry._meta.db_table}"'
    )
    return RawSQL(sql, params)


def _matching_ids(concepts, *, every):
    return list(
        ProjectPage.objects.filter(pk__in=_matching(concepts, every=every)).values_list(
            "pk", flat=True
        )
    )


@lru_cache(maxsize=4096)
def _word_tokens(text):
    return frozenset(tokens(text, unigrams=True))


def _compile(concepts):
    """Each concept's weight and its alternatives as (tokens, all-Chinese) pairs."""
    return [
        (
            1 if concept.required else 0.25,
            [
                (term_tokens(term), all(is_chinese(token) for token in term_tokens(term)))
                for term in concept.alternatives
            ],
        )
        for concept in concepts
    ]


def _found(text, alternatives):
    """Does the (lower-cased) text contain a concept? Chinese terms by substring, the same answer
    as comparing bigram and character tokens without tokenising; Latin ones by stemmed word."""
    for term, chinese in alternatives:
        if chinese:
            if all(token in text for token in term):
                return True
        elif set(term) <= _word_tokens(text):
            return True
    return False


def _score(compiled, **texts):
    """How much the item is about the query: concepts found in its title, category, summary
    (each given as lower-cased text, by those names)."""
    weights = {"title": TITLE, "category": CATEGORY, "summary": SUMMARY}
    score = 0
    for weight, alternatives in compiled:
        for name, text in texts.items():
            score += weight * weights[name] * _found(text, alternatives)
    return score


def search_items(query: str, queryset, *, order_by=None, memo_key=None) -> SearchResult:
    """Items in `queryset` matching `query`, best first, or ordered by the `order_by` fields.

    An item must match every required concept; when none does, items matching any of them are
    returned with `partial` set. The item with the number typed comes first, then items whose
    title contains the query as typed, then by score, newest year first, by number.

    Queries: the synonym list, the index with the ranking rows (again when it falls back to
    "some of the words"), then one for each slice of items read. `memo_key`: keep the ranked
    ids in the fragments cache under it (a key that changes whenever any item could rank
    differently, `projects.generations.generation`), so the next page of the same search, or the
    same search in the other language, skips the ranking.
    """
    if memo_key and (memo := caches["fragments"].get(memo_key)) is not None:
        ids, concepts, partial = memo
        return SearchResult(ids, queryset=queryset, concepts=concepts, partial=partial)
    result = _search_items(query, queryset, order_by=order_by)
    if memo_key:
        caches["fragments"].set(
            memo_key,
            (result.ids, result.concepts, result.partial),
            settings.FRAGMENT_CACHE_SECONDS,
        )
    return result


def _search_items(query, queryset, *, order_by):
    query = (query or "").strip()
    concepts = parse_query(query, SearchSynonym.mapping())
    required = [concept for concept in concepts if concept.required]
    if not required:
        return SearchResult(queryset=queryset, concepts=concepts)
    number = item_number(query)
    number_match = Q(number=number) if number is not None else Q(pk__in=[])

    def candidates(every):
        found = queryset.filter(Q(pk__in=_matching(required, every=every)) | number_match)
        found = found.prefetch_related(None)
        if order_by:
            return list(dict.fromkeys(found.order_by(*order_by).values_list("pk", flat=True)))
        return list(
            found.with_year()
            .order_by()
            .values_list("pk", "number", "title", "title_en", "summary", "category_id", "list_year")
            .distinct()
        )

    rows = candidates(every=True)
    partial = False
    if not rows and number is None and len(required) > 1:
        rows = candidates(every=False)
        partial = bool(rows)
    if order_by:
        return SearchResult(rows, queryset=queryset, concepts=concepts, partial=partial)

    needle = query.lower()
    compiled = _compile(concepts)
    # Ten categories, thousands of items: score the categories' names once.
    category_score = {
        category.pk: _score(compiled, category=f"{category.name} {category.name_en}".lower())
        for category in Category.objects.filter(pk__in={row[5] for row in rows})
    }

    def rank(row):
        pk, item_number_, title, title_en, summary, category_id, year = row
        title_text = f"{title} {title_en}".lower()
        # A single character in a title says little (路 in 健身路径): the score decides then.
        title_match = len(needle) > 1 and (
            needle in title.lower() or needle in (title_en or "").lower()
        )
        score = category_score.get(category_id, 0) + _score(
            compiled, title=title_text, summary=summary.lower()
        )
        return (item_number_ != number, not title_match, -score, -(year or 0), item_number_)

    ranked = sorted(rows, key=rank)
    return SearchResult(
        dict.fromkeys(row[0] for row in ranked),
        queryset=queryset,
        concepts=concepts,
        partial=partial,
    )


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
