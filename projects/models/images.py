from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


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

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
