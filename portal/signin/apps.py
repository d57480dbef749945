from django.apps import AppConfig


class SignInConfig(AppConfig):
    name = "portal.signin"
    label = "signin"
    verbose_name = "Staff sign-in"

    def ready(self):
        from . import audit  # noqa: F401 (connects the sign-in signal receivers)
