from django.conf import settings
from django.utils.translation import get_language

from .views import CARE_COOKIE


def site_context(request):
    english = (get_language() or "").startswith("en")
    return {
        "SITE_NAME": settings.SITE_NAME_EN if english else settings.WAGTAIL_SITE_NAME,
        "care_mode": request.COOKIES.get(CARE_COOKIE) == "1",
        "MAP_TILES": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
    }
