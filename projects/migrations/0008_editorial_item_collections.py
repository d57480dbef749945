"""One photo collection per item: made for every existing item, and the photos each item shows
(from the root collection) filed into it, so the item's image chooser opens on them."""

import django.db.models.deletion
from django.db import migrations, models

from projects.editorial.collections import make_item_collection


def make_collections(apps, schema_editor):
    ProjectPage = apps.get_model("projects", "ProjectPage")
    ProjectIndexPage = apps.get_model("projects", "ProjectIndexPage")
    ItemCollection = apps.get_model("projects", "ItemCollection")
    models_ = {
        "image_model": apps.get_model("projects", "PortalImage"),
        "gallery_model": apps.get_model("projects", "ProjectGalleryImage"),
        "photo_model": apps.get_model("projects", "UpdatePhoto"),
    }
    years = dict(ProjectIndexPage.objects.values_list("path", "title"))
    for item in ProjectPage.objects.order_by("path"):
        if ItemCollection.objects.filter(item_id=item.pk).exists():
            continue
        collection = make_item_collection(item, years[item.path[:-4]], **models_)
        ItemCollection.objects.create(item_id=item.pk, collection_id=collection.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_search_synonyms"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ItemCollection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "collection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.collection",
                    ),
                ),
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photo_collection",
                        to="projects.projectpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "item's photo collection",
                "verbose_name_plural": "items' photo collections",
            },
        ),
        migrations.RunPython(make_collections, migrations.RunPython.noop),
    ]
