from django import forms
from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import BaseSettingsPanel

from . import two_factor, two_factor_views, views
from .audit import register_log_actions

hooks.register("register_log_actions", register_log_actions)


@hooks.register("register_admin_urls")
def register_signin_urls():
    return [
        path("sign-in-locks/", views.locks, name="signin_locks"),
        path("sign-in-locks/unlock/", views.unlock, name="signin_unlock"),
        path("two-step/", two_factor_views.verify, name="signin_two_factor_verify"),
        path("two-step/set-up/", two_factor_views.enrol, name="signin_two_factor_enrol"),
        path(
            "two-step/backup-codes/",
            two_factor_views.backup_codes,
            name="signin_two_factor_backup_codes",
        ),
        path("two-step/accounts/", two_factor_views.accounts, name="signin_two_factor_accounts"),
        path(
            "two-step/accounts/<int:user_id>/reset/",
            two_factor_views.reset,
            name="signin_two_factor_reset",
        ),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_locks_menu_item():
    return SuperuserMenuItem(
        _l("Locked sign-ins"), reverse("signin_locks"), icon_name="lock", order=650
    )


@hooks.register("register_settings_menu_item")
def register_two_factor_menu_item():
    return SuperuserMenuItem(
        _l("Two-step verification"),
        reverse("signin_two_factor_accounts"),
        icon_name="key",
        order=651,
    )


class TwoFactorPanel(BaseSettingsPanel):
    """Account settings: whether two-step verification is on, and a link to set it up (again).
    Only links: the account page is one form, saved as a whole."""

    name = "two_factor"
    title = _l("Two-step verification")
    order = 700
    template_name = "signin/two_factor_panel.html"

    def is_active(self):
        return settings.SIGNIN_TWO_FACTOR

    def get_form(self):
        return forms.Form()  # unbound: nothing of this panel is saved with the page

    def get_context_data(self):
        return {
            "enrolled": two_factor.has_device(self.user),
            "required": two_factor.requires_second_factor(self.user),
            "backup_left": two_factor.backup_codes_left(self.user),
        }


@hooks.register("register_account_settings_panel")
def register_two_factor_panel(request, user, profile):
    return TwoFactorPanel(request, user, profile)
