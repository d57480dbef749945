from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")


class Colour(models.TextChoices):
    """Supervision colours, from best to worst; the order is used for sorting."""

    BLUE = "blue", _("Completed")
    GREEN = "green", _("On schedule")
    YELLOW = "yellow", _("Slightly behind")
    ORANGE = "orange", _("Clearly behind")
    RED = "red", _("Seriously behind")


COLOUR_SEVERITY = {colour: rank for rank, colour in enumerate(Colour)}
