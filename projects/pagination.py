"""Long lists of items come a page at a time; the page number is one more GET parameter."""

from collections.abc import Sequence

from django.core.paginator import Paginator

from .renditions import CARD, prefetch_renditions

CARDS_PER_PAGE = 24
# Items read at a time when a whole `ItemIds` is iterated.
FETCH_CHUNK = 200


class ItemIds(Sequence):
    """Items known by their ids in order, fetched only for the slice asked for: `len()` is the
    total, `items[0:24]` costs one query (plus the queryset's prefetches) whether the list has
    ten items or thousands. Django's Paginator takes it as is.

    What lets a list keep its ids (a search's ranking, a year's order) instead of counting and
    sorting its rows again on every page view.
    """

    def __init__(self, ids=(), *, queryset=None):
        self.ids = list(ids)
        self.queryset = queryset

    @property
    def total(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.fetch(self.ids[index])
        return self.fetch([self.ids[index]])[0]

    def __eq__(self, other):
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __iter__(self):
        for start in range(0, len(self.ids), FETCH_CHUNK):
            yield from self.fetch(self.ids[start : start + FETCH_CHUNK])

    def fetch(self, ids):
        """The items with these ids, in this order (one that has gone since is left out)."""
        if not ids:
            return []
        found = {item.pk: item for item in self.queryset.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


def card_page(request, items, per_page=CARDS_PER_PAGE):
    """The page of `items` asked for by `?page=`, ready to render as cards.

    A junk page number shows the first page and one past the end the last page (Django's
    `Paginator.get_page`), never an error. Only the page's cover images get their card
    renditions, in one query.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # The numbers the pager links to: the ends and the neighbours, gaps shown as an ellipsis.
    page.numbers = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    prefetch_renditions((item.cover_image for item in page.object_list), CARD)
    return page
