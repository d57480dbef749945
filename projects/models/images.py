import functools

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image


@functools.lru_cache(maxsize=512)
def shared_filter(spec: str) -> Filter:
    """One `Filter` per spec for the whole process.

    Wagtail's image tags build a new `Filter` for every spec of every photo they render, and a
    new one parses its spec again (looking up the registered operations) each time it is asked
    for a rendition's cache key: about a millisecond per `{% picture %}`. A filter is a
    spec and its parsed operations, the same for every image, so one copy serves them all.
    """
    return Filter(spec=spec)


def _shared(filter):
    if isinstance(filter, str):
        return shared_filter(filter)
    if type(filter) is Filter:
        return shared_filter(filter.spec)
    return filter


class PortalImage(AbstractImage):
    """The site's image model: every photo carries when it was taken and who took it."""

    date_taken = models.DateField(
        _("date taken"),
        null=True,
        blank=True,
        help_text=_("The day the photo was taken on site, shown under the photo."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=100,
        blank=True,
        help_text=_("Photographer or source, e.g. the responsible department."),
    )

    admin_form_fields = Image.admin_form_fields + ("date_taken", "credit")

    def get_rendition(self, filter):
        filter = _shared(filter)
        if self._get_prefetched_renditions() is not None:
            # Wagtail writes the rendition back to the cache even when it was prefetched: a
            # cache round trip per photo for nothing.
            try:
                return self.find_existing_rendition(self.clean_filter_for_svg(filter))
            except self.get_rendition_model().DoesNotExist:
                pass
        return super().get_rendition(filter)

    def get_renditions(self, *filters):
        return super().get_renditions(*map(_shared, filters))

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
