from django.conf import settings

from .views import CARE_COOKIE


def site_context(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "care_mode": request.COOKIES.get(CARE_COOKIE) == "1",
    }
