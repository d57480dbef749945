from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _l
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .audit import register_log_actions

hooks.register("register_log_actions", register_log_actions)


@hooks.register("register_admin_urls")
def register_signin_urls():
    return [
        path("sign-in-locks/", views.locks, name="signin_locks"),
        path("sign-in-locks/unlock/", views.unlock, name="signin_unlock"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_locks_menu_item():
    return SuperuserMenuItem(
        _l("Locked sign-ins"), reverse("signin_locks"), icon_name="lock", order=650
    )
