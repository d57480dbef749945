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


class FeedbackKind(models.TextChoices):
    """What a resident's message is; `RATING` is the satisfaction score after completion."""

    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    CORRECTION = "correction", _("This progress is not right")
    RATING = "rating", _("Satisfaction rating")


# Kinds that are closed once published; every other kind waits for an official reply.
KINDS_WITHOUT_REPLY = frozenset({FeedbackKind.PRAISE, FeedbackKind.RATING})


class FeedbackStatus(models.TextChoices):
    """Whether a message is shown on the item page. Answering it is a separate matter: every
    message except spam gets an answer the resident reads on the status page."""

    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    SPAM = "spam", _("Spam")


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CategoryIcon(models.TextChoices):
    """Line icons a category can show beside its name; each value is a symbol id in the sprite
    static/img/icons/categories.svg (drawn with currentColor, so they take the text colour)."""

    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    PARK = "park", _("Park and trees")
    ROAD = "road", _("Road")
    TRANSPORT = "transport", _("Bus and transport")
    WATER = "water", _("Water")
    ENVIRONMENT = "environment", _("Environment (leaf)")
    CULTURE = "culture", _("Culture (museum)")
    SPORTS = "sports", _("Sports (ball)")
    SOCIAL = "social", _("Social services (people)")
    ELDERLY = "elderly", _("Elderly care")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment (briefcase)")
    SAFETY = "safety", _("Public safety (shield)")
