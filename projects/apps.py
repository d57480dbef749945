from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Livelihood projects")

    def ready(self):
        from . import signals  # noqa: F401
        from .editorial.notifications import connect_notifiers
        from .feedback import checks  # noqa: F401

        connect_notifiers()
