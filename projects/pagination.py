"""Long lists of items come a page at a time; the page number is one more GET parameter."""

from django.core.paginator import Paginator

from .renditions import CARD, prefetch_renditions

CARDS_PER_PAGE = 24


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
