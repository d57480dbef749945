"""Site boards (工地公示牌): the printable A4 notice posted at an item's site, with QR codes to
the item page and to its feedback form.

No models here (the bottom layer): the pages (`ProjectPage.serve_board`,
`ProjectIndexPage.serve_boards`) gather the items and call these helpers. QR codes are made
on the server by segno, as PNG data: URLs for an <img> (no script, no extra request, no
external service, allowed by the CSP's `img-src data:`); the board's stylesheet scales them
up without smoothing, so they stay sharp on a large print.
"""

import functools
from dataclasses import dataclass

import segno
from django.urls import reverse

# Boards per printed document of a year: one A4 page each.
BOARDS_PER_DOCUMENT = 100


@functools.lru_cache(maxsize=4096)  # ~10 ms each to make; a year's document needs 200
def qr_data_url(url):
    """`url` as a QR code: a PNG data: URL, eight pixels per module with the 4-module quiet
    zone scanners need; sharp at A4 and still square-edged when a board is printed larger."""
    return segno.make(url, error="m").png_data_uri(scale=8, border=4, dark="#000", light="#fff")


@dataclass(frozen=True)
class Board:
    """One item's board: the item page, with the absolute addresses its QR codes carry."""

    item: object
    item_url: str
    feedback_url: str
    site_url: str

    @property
    def item_qr(self):
        return qr_data_url(self.item_url)

    @property
    def feedback_qr(self):
        return qr_data_url(self.feedback_url)


def board_for(item, request):
    """The board of `item` (a live ProjectPage), its addresses built from the request's host
    as the item page's own canonical link is."""
    return Board(
        item=item,
        item_url=request.build_absolute_uri(item.get_url(request)),
        feedback_url=request.build_absolute_uri(reverse("feedback_new", args=[item.pk])),
        site_url=request.build_absolute_uri("/"),
    )


def board_path(item_path):
    """The board's path below an item's path (`/2022/37/` → `/2022/37/board/`)."""
    return item_path.rstrip("/") + "/board/"
