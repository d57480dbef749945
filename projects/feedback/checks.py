"""System check: residents' pending photos must never sit where a web server serves files."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_root_is_private(app_configs=None, **kwargs):
    private = Path(settings.FEEDBACK_PRIVATE_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if not public:
            continue
        public = Path(public).resolve()
        if private == public or private.is_relative_to(public) or public.is_relative_to(private):
            errors.append(
                Error(
                    f"FEEDBACK_PRIVATE_ROOT ({private}) overlaps {name} ({public}).",
                    hint="Keep residents' unapproved photos outside every served folder.",
                    id="projects.E001",
                )
            )
    return errors
