"""Administrators' page of locked sign-ins, with an unlock button per account and address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from . import limits
from .audit import UNLOCKED, _account


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def locks(request):
    _superuser_only(request)
    accounts, addresses = limits.current_locks()
    return TemplateResponse(
        request,
        "signin/locks.html",
        {"accounts": accounts, "addresses": addresses},
    )


@require_POST
def unlock(request):
    _superuser_only(request)
    username = request.POST.get("username", "")
    address = request.POST.get("ip_address", "")
    if username:
        limits.unlock_account(username)
        log(_account(username) or request.user, UNLOCKED, user=request.user, data={"address": ""})
        messages.success(request, _("%(name)s can sign in again.") % {"name": username})
    elif address:
        limits.unlock_address(address)
        log(request.user, UNLOCKED, user=request.user, data={"address": address})
        messages.success(
            request, _("Sign-ins from %(address)s are allowed again.") % {"address": address}
        )
    return redirect("signin_locks")
