from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SiteLanguageMiddleware:
    """Serve Simplified Chinese unless the visitor chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a district
    portal speaks Chinese to everyone until asked otherwise, and URLs carry no language prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NulCharacterMiddleware:
    """Answer 400 to a path or query string holding a NUL character, and drop such cookies.

    PostgreSQL cannot hold or compare a string with NUL, so any lookup by such a value (a
    tracking code in the path, the redirect lookup behind every 404, a session key) would end
    in a 500 there while SQLite shrugs. Forms already refuse NUL (Django's CharField); this
    covers what reaches the database without a form. First in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("NUL character in the URL")
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding) for pages, JSON and XML only.

    Photos, PDFs and other documents streamed by Django are compressed already: gzipping them
    again costs CPU and drops Content-Length (download progress, resumable downloads).
    """

    COMPRESSIBLE = (
        "text/",
        "application/json",
        "application/xml",
        "application/javascript",
        "application/atom+xml",
        "application/rss+xml",
    )

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if response.streaming or not content_type.startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
