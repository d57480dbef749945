"""The staff second factor (django-otp): a six-digit code from an authenticator app (TOTP), or
one of ten one-time backup codes, after the password.

Who must have it (`requires_second_factor`): superusers and the members of
SIGNIN_TWO_FACTOR_GROUPS (reviewers publish, feedback moderators see residents' contacts).
Editors may set it up from their account settings; once they have, their code is asked too.

`TwoFactorMiddleware` holds a signed-in session that has not passed the second step on the
code page (or, for an account that must have a device and has none, on the set-up page): no
other page, admin or not, is served to it. SIGNIN_TWO_FACTOR off (development) turns it all
off; SIGNIN_TWO_FACTOR_TRUST_CODE_LOGINS (tests only) lets sessions made up in code (the test
client's `login()`/`force_login()`, which have no page behind them) count as passed.
"""

import base64
import secrets
from functools import cache
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE_LOGIN = "_signin_code_login"
OPTIONAL = "_signin_second_factor_optional"
PENDING_KEY = "_signin_totp_pending_key"
BACKUP_CODES = "_signin_backup_codes_to_show"
BACKUP_CODE_COUNT = 10
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"

# What a session half-way through signing in may still open.
OPEN_URL_NAMES = {
    "signin_two_factor_verify",
    "signin_two_factor_enrol",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


def requires_second_factor(user):
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.SIGNIN_TWO_FACTOR_GROUPS).exists()


def confirmed_devices(user):
    return list(devices_for_user(user, confirmed=True))


def totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passed(request):
    """This session passed the second step (or was made in code, where tests trust that)."""
    if request.session.get(CODE_LOGIN) and settings.SIGNIN_TWO_FACTOR_TRUST_CODE_LOGINS:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def mark_code_login(request):
    """Called on every sign-in: a session made in code (no page behind it) is marked so."""
    request.session[CODE_LOGIN] = True


# -- checking a code ---------------------------------------------------------------------------


def normalise(code):
    return "".join((code or "").split()).replace("-", "").lower()


def check_code(user, code):
    """The device that accepts `code` (a TOTP code or an unused backup code), or None.
    Each device throttles its own failures (django-otp: 1, 2, 4... seconds, kept in the
    database, so signing in again with the password does not reset it), and a TOTP code is
    accepted once: a code already used (or an older one) is refused."""
    code = normalise(code)
    if not code:
        return None
    # for_verify locks the devices (SELECT … FOR UPDATE) so that two requests cannot both use
    # one code; PostgreSQL allows that only inside a transaction.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) and not (code.isdigit() and len(code) == 6):
                continue
            if isinstance(device, StaticDevice) and len(code) != 8:
                continue
            if device.verify_token(code):
                return device
    return None


def is_throttled(user):
    device = totp_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def pass_second_step(request, device):
    otp_login(request, device)


# -- setting up a device -----------------------------------------------------------------------


def pending_key(request):
    """The secret being set up in this session (kept until confirmed, so reloading the page
    shows the same QR code; nothing is written to the database before the code matches)."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = secrets.token_hex(20)
        request.session[PENDING_KEY] = key
    return key


def base32_secret(hex_key):
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user, hex_key):
    device = TOTPDevice(user=user, key=hex_key, name=TOTP_NAME)
    return device.config_url


def qr_data_url(url):
    """The otpauth:// address as an SVG QR code in a data: URL, for an <img>: no script, no
    extra request."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2, light="#fff")


def match_pending(hex_key, code):
    """The time step `code` belongs to for the pending key (±1 step), or None."""
    code = normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(hex_key))
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


def enrol(request, user, hex_key, last_t):
    """The pending key becomes the account's device (replacing any before it), with ten new
    backup codes, and this session has passed the second step with it."""
    request.session.pop(OPTIONAL, None)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_NAME, key=hex_key, confirmed=True, last_t=last_t
    )
    codes = new_backup_codes(user)
    request.session.pop(PENDING_KEY, None)
    request.session[BACKUP_CODES] = codes
    pass_second_step(request, device)
    return device


def new_backup_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user):
    """Forget the account's authenticator and backup codes (a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# -- the gate ----------------------------------------------------------------------------------


@cache
def _url(name):
    return reverse(name)


def _url_name(request):
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def _to(name, request):
    return redirect(f"{_url(name)}?{urlencode({'next': request.get_full_path()})}")


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (request.user.is_verified()), keeping request.user one lazy
    object deep: django-otp wraps Django's lazy user in another, and Wagtail's audit log, which
    unwraps one level, then silently records nothing for it (sign-outs, account changes)."""

    def _verify_user_sync(self, request, user):
        user = super()._verify_user_sync(request, user)
        return getattr(user, "_wrapped", user)


class TwoFactorMiddleware:
    """After OTPMiddleware. A request without a session cookie (every resident's) is passed on
    untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SIGNIN_TWO_FACTOR
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and not passed(request)
            and _url_name(request) not in OPEN_URL_NAMES
            and not request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))
        ):
            if not request.session.get(OPTIONAL):
                if has_device(request.user):
                    return _to("signin_two_factor_verify", request)
                if requires_second_factor(request.user):
                    return _to("signin_two_factor_enrol", request)
                # An editor without a device: not asked again during this session.
                request.session[OPTIONAL] = True
        return self.get_response(request)
