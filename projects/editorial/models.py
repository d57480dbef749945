"""The editors' tools' own model: one image collection per item (`collections.py` fills it)."""

from django.conf import settings
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


class ImportLayout(models.Model):
    """A column mapping an editor confirmed for one spreadsheet layout (the hash of its
    normalised header row), applied the next time a file with the same header is imported."""

    kind = models.CharField(_("import"), max_length=20)
    header_key = models.CharField(_("header fingerprint"), max_length=64)
    headers = models.JSONField(_("headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=list)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("import layout")
        verbose_name_plural = _("import layouts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "header_key"], name="unique_import_layout")
        ]

    def __str__(self):
        return f"{self.kind} {self.header_key[:8]}"


class ImportBatch(models.Model):
    """The pages one import submitted for approval, so that a reviewer can approve them in one
    action (`projects.editorial.views.approve_import`), each with the usual checks and log."""

    kind = models.CharField(_("import"), max_length=20)
    year_page = models.ForeignKey(
        "projects.ProjectIndexPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("year"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    page_ids = models.JSONField(_("pages"), default=list)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
