"""Panels inside the page editor, beside the page models that use them (no model imports here).

`UpdateEffectPanel` heads a progress update's editor: which item it belongs to and what its
publication changes there (progress, money, colour, status, before → after), so that a
reviewer approving it sees "38% → 45%" rather than the bare form.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from ..choices import Colour, Status


class UpdateEffectPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/editorial/admin/update_effect_panel.html"

        @property
        def project(self):
            return self.instance.project if self.instance.pk else None

        def is_shown(self):
            return self.project is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            project = self.project
            figures = project.figures_with(self.instance)
            progress, invested, colour, status = (
                figures[name] for name in ("progress", "invested", "colour", "status")
            )
            context.update(
                project=project,
                rows=[
                    (_("Progress"), *(f"{value}%" for value in progress)),
                    (
                        _("Invested so far (10,000 yuan)"),
                        *(f"{Decimal(value):,.2f}" for value in invested),
                    ),
                    (_("Status"), *(Status(value).label for value in status)),
                ],
                colours=[(value, Colour(value).label) for value in colour],
                superseded=figures["last_update_date"][1] != self.instance.date,
            )
            return context
