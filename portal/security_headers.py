"""Browser security headers that Django's SecurityMiddleware does not send itself.

Django sends X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy
(SecurityMiddleware) and X-Frame-Options (XFrameOptionsMiddleware); this adds
Permissions-Policy. It sits right after SecurityMiddleware, outside WhiteNoise and the page
cache, so static files, cached pages and rendered pages all carry it.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
