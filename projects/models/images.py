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


class ItemCollection(models.Model):
    """The image collection of one item's photos (cover, gallery, and its updates' photos).

    The item's editor opens the image chooser on it and uploads into it; kept outside the page
    so that publishing an old revision never unlinks it. Created with the item
    (`projects.signals`); see `projects.editorial.collections`.
    """

    item = models.OneToOneField(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="photo_collection"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("item's photo collection")
        verbose_name_plural = _("items' photo collections")

    def __str__(self):
        return str(self.collection)
