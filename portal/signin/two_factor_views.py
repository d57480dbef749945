"""The second step of signing in (the code page), setting up an authenticator app (QR code,
secret, first code, backup codes) and the administrators' page to reset a lost one."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from . import two_factor as tf
from .audit import CODE_FAILED, ENROLLED, RESET, _address
from .forms import lockout_message


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("two-step sign-in", "Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


class EnrolForm(CodeForm):
    code = forms.CharField(
        label=_l("The 6-digit code the app shows"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def verify(request):
    user = request.user
    if tf.passed(request) or not tf.has_device(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if tf.is_throttled(user):
            form.add_error(
                None, _("Too many wrong codes in a row: wait a minute, then try the next code.")
            )
        elif device := tf.check_code(user, form.cleaned_data["code"]):
            tf.pass_second_step(request, device)
            return redirect(_next(request))
        else:
            log(user, CODE_FAILED, user=user, data={"address": _address(request)})
            # A wrong code counts as a failed sign-in of this account from this address.
            credentials = {"username": user.get_username()}
            AxesProxyHandler.user_login_failed(
                sender=verify, credentials=credentials, request=request
            )
            if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
                request, credentials
            ):
                logout(request)
                return TemplateResponse(
                    request,
                    "signin/two_factor_verify.html",
                    {"locked": lockout_message()},
                    status=429,
                )
            form.add_error(
                None,
                _(
                    "That code is not right, or was used already. Enter the code your "
                    "authenticator app shows now, or one of your backup codes."
                ),
            )
    return TemplateResponse(
        request,
        "signin/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


def enrol(request):
    user = request.user
    if tf.has_device(user) and not tf.passed(request):
        return redirect(
            f"{reverse('signin_two_factor_verify')}?next={reverse('signin_two_factor_enrol')}"
        )
    key = tf.pending_key(request)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        last_t = tf.match_pending(key, form.cleaned_data["code"])
        if last_t is None:
            form.add_error(
                None,
                _(
                    "That code does not match. Check that the app shows this site's entry and "
                    "that the phone's clock is right, then enter its current code."
                ),
            )
        else:
            with transaction.atomic():
                tf.enrol(request, user, key, last_t)
                log(user, ENROLLED, user=user, data={"address": _address(request)})
            return redirect(f"{reverse('signin_two_factor_backup_codes')}?next={_next(request)}")
    url = tf.config_url(user, key)
    return TemplateResponse(
        request,
        "signin/two_factor_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "qr": tf.qr_data_url(url),
            "secret": tf.base32_secret(key),
            "required": tf.requires_second_factor(user),
            "replacing": tf.has_device(user),
        },
    )


def backup_codes(request):
    codes = request.session.pop(tf.BACKUP_CODES, None)
    if not codes:
        return redirect(_next(request))
    return TemplateResponse(
        request,
        "signin/two_factor_backup_codes.html",
        {"codes": codes, "next": _next(request)},
    )


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def accounts(request):
    _superuser_only(request)
    User = get_user_model()
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_staff=True) | Q(groups__isnull=False))
        .distinct()
        .annotate(enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by(User.USERNAME_FIELD)
    )
    required = set(
        User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=settings.SIGNIN_TWO_FACTOR_GROUPS)
        ).values_list("pk", flat=True)
    )
    rows = [
        {"user": user, "required": user.pk in required, "enrolled": user.enrolled} for user in users
    ]
    return TemplateResponse(request, "signin/two_factor_accounts.html", {"rows": rows})


@require_POST
def reset(request, user_id):
    _superuser_only(request)
    account = get_object_or_404(get_user_model(), pk=user_id)
    with transaction.atomic():
        tf.reset(account)
        log(account, RESET, user=request.user, data={"address": _address(request)})
    messages.success(
        request,
        _(
            "Two-step verification of %(name)s was reset: they set it up again at their next "
            "sign-in."
        )
        % {"name": account.get_username()},
    )
    return redirect("signin_two_factor_accounts")
