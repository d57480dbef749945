"""The follow form: an e-mail address, what to follow, and feedback's bot checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..feedback.forms import AntiBotMixin, started_token
from .models import FollowKind


class FollowForm(AntiBotMixin):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter a valid email address, e.g. name@example.com."),
            "max_length": _("This address is too long."),
        },
    )
    kind = forms.ChoiceField(choices=FollowKind.choices, widget=forms.HiddenInput)
    target = forms.CharField(max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", started_token())
