"""Sign-in, sign-out, failed sign-in, lockout and unlock in Wagtail's audit log (Reports → Site
history), recorded against the staff account concerned. A failure for a name that is no
account has nothing to be recorded against: it stays in django-axes' attempts table."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _l
from wagtail.log_actions import LogFormatter, log

from .forms import signin_client_ip
from .session import mark_seen
from .two_factor import mark_code_login

LOGIN = "portal.signin.login"
LOGOUT = "portal.signin.logout"
FAILED = "portal.signin.failed"
LOCKED = "portal.signin.locked"
UNLOCKED = "portal.signin.unlocked"
CODE_FAILED = "portal.signin.code_failed"
ENROLLED = "portal.signin.two_factor_enrolled"
RESET = "portal.signin.two_factor_reset"


def _account(username):
    if not username:
        return None
    return get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()


def _address(request):
    return (signin_client_ip(request) or "") if request is not None else ""


def _through_a_page(request):
    """A sign-in or sign-out made by a request to one of our pages, not a session made up in
    code (the test client's `login()`/`force_login()`, a shell), whose request has no path."""
    return request is not None and bool(getattr(request, "path", ""))


@receiver(user_logged_in, dispatch_uid="signin-audit-login")
def logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_seen(request)
    if _through_a_page(request):
        log(user, LOGIN, user=user, data={"address": _address(request)})
    elif request is not None and hasattr(request, "session"):
        mark_code_login(request)


@receiver(user_logged_out, dispatch_uid="signin-audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None and user.pk and _through_a_page(request):
        log(user, LOGOUT, user=user, data={"address": _address(request)})


@receiver(user_login_failed, dispatch_uid="signin-audit-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    if account := _account(credentials.get("username")):
        log(account, FAILED, user=None, data={"address": _address(request)})


@receiver(user_locked_out, dispatch_uid="signin-audit-locked")
def locked_out(sender, request, username, ip_address, **kwargs):
    if account := _account(username):
        log(account, LOCKED, user=None, data={"address": ip_address or ""})


class AddressFormatter(LogFormatter):
    def format_message(self, log_entry):
        address = (log_entry.data or {}).get("address")
        return f"{self.message} ({address})" if address else str(self.message)


def register_log_actions(actions):
    """Called from the `register_log_actions` hook (portal.signin.wagtail_hooks)."""
    for action, label, message in [
        (LOGIN, _l("Sign in"), _l("Signed in")),
        (LOGOUT, _l("Sign out"), _l("Signed out")),
        (FAILED, _l("Failed sign-in"), _l("Sign-in failed")),
        (LOCKED, _l("Sign-in locked"), _l("Sign-in locked after too many failures")),
        (UNLOCKED, _l("Sign-in unlocked"), _l("Sign-in unlocked by an administrator")),
        (CODE_FAILED, _l("Wrong verification code"), _l("A wrong verification code was entered")),
        (ENROLLED, _l("Two-step verification set up"), _l("Two-step verification set up")),
        (RESET, _l("Two-step verification reset"), _l("Two-step verification reset")),
    ]:
        formatter = type(
            "SignInLogFormatter", (AddressFormatter,), {"label": label, "message": message}
        )
        actions.register_action(action)(formatter)
