"""Browser security headers that Django's SecurityMiddleware does not send itself.

Django sends X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy
(SecurityMiddleware) and X-Frame-Options (XFrameOptionsMiddleware); django-csp's middleware,
extended here, sends Content-Security-Policy; this module also adds Permissions-Policy. Both sit
right after SecurityMiddleware, outside WhiteNoise and the page cache, so static files, cached
pages and rendered pages all carry them.
"""

import hashlib
import re
from base64 import b64encode
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
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


def source_of(url):
    """The CSP source expression for the host a URL (or tile URL template) points at:
    `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`; None for
    a path on our own host."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    if "{" in host:  # a placeholder elsewhere in the host name: allow the whole domain
        host = "*." + host.rsplit("}", 1)[1].lstrip(".-")
    return f"{parts.scheme}://{host}" if parts.scheme else f"//{host}"


def style_hashes(template_path):
    """CSP hashes of the <style> blocks of a self-contained template (the 500 page, which must
    render even when nothing else works, so it carries its own CSS)."""
    text = template_path.read_text(encoding="utf-8")
    return [
        f"'sha256-{b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in re.findall(r"<style>(.*?)</style>", text, re.S)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the public site (CONTENT_SECURITY_POLICY)
    and a looser one for Wagtail's admin (CONTENT_SECURITY_POLICY_ADMIN: Wagtail 8 still writes
    inline scripts and styles there), chosen by path.

    frame-ancestors follows X-Frame-Options, which XFrameOptionsMiddleware (further in) has set
    by now: 'none' where it is DENY, 'self' on the responses that Wagtail's preview lets the
    editor's side panel frame (SAMEORIGIN), so the two headers never disagree.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefixes = tuple(settings.CSP_ADMIN_PATH_PREFIXES)
        self.admin_policy = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        # A view's own @csp_override / @csp_replace still wins (parts.config, parts.replace).
        if parts.config is None and request.path_info.startswith(self.admin_prefixes):
            parts.config = self.admin_policy
        framing = response.get("X-Frame-Options", "").upper()
        if framing == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts
