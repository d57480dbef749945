"""The residents' forms: a message with photos, and a satisfaction rating.

Everything is checked on the server; the browser's own limits (maxlength, required, accept)
only help. Errors come back in the resident's language beside the field, with what they typed.
Photos are sanitised during validation (`privacy.sanitise_photo`), so a valid form already
holds metadata-free files.
"""

import re
import secrets
import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator, validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..choices import FeedbackKind
from .privacy import ACCEPT_ATTRIBUTE, sanitise_photo

STARTED_SALT = "projects.feedback.started"
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(?:\d{1,5})?$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to `FEEDBACK_MAX_PHOTOS` photos from one `<input type=file multiple>`."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        limit = settings.FEEDBACK_MAX_PHOTOS
        if len(files) > limit:
            raise ValidationError(
                ngettext_lazy(
                    "You can attach at most %(limit)d photo.",
                    "You can attach at most %(limit)d photos.",
                    "limit",
                )
                % {"limit": limit},
                code="too_many_photos",
            )
        cleaned, errors = [], []
        for item in files:
            try:
                single = super().clean(item, initial)
                cleaned.append(sanitise_photo(single))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def started_token(shown_at=None):
    """When the form was shown, and a nonce that lets the token be used for one submission."""
    payload = {"t": time.time() if shown_at is None else shown_at, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=STARTED_SALT, compress=True)


def visible_length(value):
    """Characters a reader can see: not spaces, not invisible formatting (U+200B and kin)."""
    return sum(1 for ch in value if not ch.isspace() and unicodedata.category(ch) != "Cf")


def validate_readable_text(value):
    """Refuse what is not text a person typed: control characters (line breaks and tabs
    aside) and characters the browser could not send as Unicode (decoded as U+FFFD)."""
    if "\ufffd" in value or any(unicodedata.category(ch) == "Cs" for ch in value):
        raise ValidationError(
            _("Part of this text could not be read. Please type it again."),
            code="unreadable",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise ValidationError(
            _("This text contains control characters. Please type it again."),
            code="control_characters",
        )


class MinVisibleLengthValidator(MinLengthValidator):
    """`min_length` counted in visible characters, so 1,000 zero-width spaces are not text."""

    def clean(self, x):
        return visible_length(x)


def validate_some_visible_text(value):
    if not visible_length(value):
        raise ValidationError(
            _("This has no visible text. Write something or leave it empty."),
            code="invisible",
        )


class ConsentCheckbox(forms.CheckboxInput):
    """Ticked only by what a ticked checkbox sends ("on"), not by "off", "0" or "false"."""

    def value_from_datadict(self, data, files, name):
        return data.get(name) == "on"


class AntiBotMixin(forms.Form):
    """A honeypot field a person never sees, and the time the form was shown (signed)."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def bot_reason(self):
        """Why this submission looks automatic ('honeypot', 'too-fast'), 'stale' when the
        form is too old or its start time is missing (show it again), or ''."""
        data = self.data
        if data.get("website"):
            return "honeypot"
        try:
            payload = signing.loads(
                data.get("started", ""),
                salt=STARTED_SALT,
                max_age=settings.FEEDBACK_MAX_FILL_SECONDS,
            )
            started, self.started_nonce = float(payload["t"]), str(payload["n"])
        except signing.SignatureExpired:
            return "stale"
        except (TypeError, KeyError):
            return "stale"  # a genuine token of an older release: show the form again
        except (signing.BadSignature, ValueError):
            return "stale" if not data.get("started") else "tampered"
        if time.time() - started < settings.FEEDBACK_MIN_FILL_SECONDS:
            return "too-fast"
        return ""

    def claim_started(self):
        """Use up this form's start token; False if a submission already used it (a replay,
        or the same form sent again after going back). Call after `bot_reason()` is ''."""
        return cache.add(
            f"feedback:started:{self.started_nonce}", 1, settings.FEEDBACK_MAX_FILL_SECONDS
        )

    def refresh_started(self):
        """Give a re-displayed form a new start time (the data dict is copied)."""
        data = self.data.copy()
        data["started"] = started_token()
        self.data = data


def validate_contact(value):
    """An e-mail address exactly as typed (hyphens, plus signs and IDN domains matter to the
    mailbox), or a phone number with its spaces, hyphens and brackets removed."""
    value = value.strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Please enter a valid email address, e.g. name@example.com."),
                code="invalid_email",
            ) from None
        return value
    compact = re.sub(r"[\s\-()]", "", value)
    if MOBILE.match(compact) or LANDLINE.match(compact):
        return compact
    raise ValidationError(
        _(
            "Please enter a mobile number (11 digits, e.g. 13812345678), a landline with its "
            "area code (e.g. 028-12345678) or an email address."
        ),
        code="invalid_contact",
    )


def _message_field(required=True, label=None):
    limit = settings.FEEDBACK_MESSAGE_MAX_LENGTH
    minimum = settings.FEEDBACK_MESSAGE_MIN_LENGTH
    visible = MinVisibleLengthValidator(minimum) if required else validate_some_visible_text
    return forms.CharField(
        label=label or _("Your message"),
        required=required,
        max_length=limit,
        strip=True,
        validators=[validate_readable_text, visible],
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": limit, "data-count": limit}),
        error_messages={
            "required": _("Please write your message."),
            "min_length": _(
                "Please write at least %(limit_value)d characters (you wrote %(show_value)d)."
            ),
            "max_length": _(
                "Please keep it to %(limit_value)d characters (you wrote %(show_value)d)."
            ),
        },
    )


class FeedbackForm(AntiBotMixin):
    kind = forms.ChoiceField(
        label=_("What kind of message is it?"),
        choices=[c for c in FeedbackKind.choices if c[0] != FeedbackKind.RATING],
        initial=FeedbackKind.SUGGESTION,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what kind of message it is.")},
    )
    message = _message_field()
    photos = MultiplePhotoField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=50,
        validators=[validate_readable_text, validate_some_visible_text],
    )
    show_name = forms.BooleanField(label=_("Show my name with my message"), required=False)
    contact = forms.CharField(
        label=_("Phone or email (optional, never published)"),
        required=False,
        max_length=100,
        validators=[],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "text"}),
    )
    consent = forms.BooleanField(
        widget=ConsentCheckbox,
        label=_("I have read and agree to how my personal information is handled (above)."),
        error_messages={"required": _("Please agree to the personal information notice.")},
    )

    field_order = ["kind", "message", "photos", "name", "show_name", "contact", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "Up to %(count)d photos (JPEG, PNG or WebP, at most %(mb)d MB each). Location and "
            "camera details are removed from every photo."
        ) % {
            "count": settings.FEEDBACK_MAX_PHOTOS,
            "mb": settings.FEEDBACK_MAX_PHOTO_BYTES // (1024 * 1024),
        }
        self.fields["message"].help_text = _(
            "%(min)d–%(max)d characters. Please do not include ID numbers or addresses."
        ) % {
            "min": settings.FEEDBACK_MESSAGE_MIN_LENGTH,
            "max": settings.FEEDBACK_MESSAGE_MAX_LENGTH,
        }
        if not self.is_bound:
            self.initial.setdefault("started", started_token())

    def clean_contact(self):
        value = self.cleaned_data.get("contact", "").strip()
        return validate_contact(value) if value else ""

    def clean_name(self):
        return " ".join(self.cleaned_data.get("name", "").split())


class RatingForm(AntiBotMixin):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the finished item?"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a score from 1 to 5."),
            "invalid_choice": _("Please choose a score from 1 to 5."),
        },
    )
    comment = _message_field(required=False, label=_("Comment (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", started_token())
