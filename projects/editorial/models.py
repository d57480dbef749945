"""The editors' tools' own model: one image collection per item (`collections.py` fills it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
