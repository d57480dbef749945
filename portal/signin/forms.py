"""The admin's sign-in form, saying so when sign-in is locked (django-axes)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms.auth import LoginForm

from projects.feedback.throttle import client_ip

from .limits import get_cool_off


def lockout_message():
    """The same words for every account, known or not: nothing tells which accounts exist."""
    until = timezone.localtime(timezone.now() + get_cool_off())
    message = _(
        "Too many failed sign-ins: signing in from here is locked until %(time)s. "
        "Try again after that, or ask an administrator of this site to unlock it."
    ) % {"time": until.strftime("%Y-%m-%d %H:%M")}
    if settings.SIGNIN_HELP_CONTACT:
        message += " " + _("Contact: %(contact)s") % {"contact": settings.SIGNIN_HELP_CONTACT}
    return message


class LimitedLoginForm(LoginForm):
    """Wagtail's sign-in form; when django-axes refuses (this attempt reached a limit, or one
    was reached before, the right password included) the error says locked and until when,
    instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: keep the sign-in page (with the form's lockout message) and
    answer 429 Too Many Requests."""
    if original_response is None:
        return HttpResponse(lockout_message(), status=429, content_type="text/plain")
    original_response.status_code = 429
    return original_response


def signin_client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address as the feedback limit sees it
    (REMOTE_ADDR, or the last trusted proxy's X-Forwarded-For entry)."""
    return client_ip(request) or None
