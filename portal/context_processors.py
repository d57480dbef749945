from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Site

from .models import SiteFooter
from .views import CARE_COOKIE


def site_footer(request):
    """The request's site's footer settings, read only (Wagtail's `settings` context processor
    would create the row while rendering), or None."""
    site = Site.find_for_request(request)
    return SiteFooter.objects.filter(site=site).first() if site else None


def site_context(request):
    english = (get_language() or "").startswith("en")
    return {
        "SITE_NAME": settings.SITE_NAME_EN if english else settings.WAGTAIL_SITE_NAME,
        "care_mode": request.COOKIES.get(CARE_COOKIE) == "1",
        "MAP_TILES": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
        "site_footer": SimpleLazyObject(lambda: site_footer(request)),
    }
