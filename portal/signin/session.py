"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE).

Residents have no session at all (the page cache depends on it), so only staff are concerned.
Rather than saving the session on every request (SESSION_SAVE_EVERY_REQUEST: one database
write per admin request), a signed-in request renews it when the last renewal is more than
STAFF_SESSION_RENEW_SECONDS old: the idle limit holds to within that.
"""

import time

from django.conf import settings

SEEN = "_signin_seen"


def mark_seen(request):
    request.session[SEEN] = int(time.time())


class StaffSessionIdleMiddleware:
    """After AuthenticationMiddleware. A request without a session cookie (every resident's)
    is passed on untouched: no session is loaded or created."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            seen = request.session.get(SEEN, 0)
            if time.time() - seen >= settings.STAFF_SESSION_RENEW_SECONDS:
                mark_seen(request)  # modified: saved with a fresh expiry, cookie sent again
        return self.get_response(request)
