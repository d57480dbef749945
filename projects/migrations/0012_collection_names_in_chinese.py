"""Name the image library's root collection and the residents' photos collection in Chinese.

Editors meet both in every collection menu of the image library and the image chooser
("Root", "Residents' photos"). They are data, so they are renamed here, only where they still
carry the old names; `projects.feedback.moderation` looks the residents' collection up by its
new name.
"""

from django.db import migrations

ROOT = ("Root", "根目录")
RESIDENTS = ("Residents' photos", "居民留言照片")


def rename(apps, forward):
    Collection = apps.get_model("wagtailcore", "Collection")
    pick = (lambda pair: pair) if forward else (lambda pair: pair[::-1])
    old, new = pick(ROOT)
    Collection.objects.filter(depth=1, name=old).update(name=new)
    old, new = pick(RESIDENTS)
    Collection.objects.filter(depth=2, name=old).update(name=new)


def to_chinese(apps, schema_editor):
    rename(apps, forward=True)


def to_english(apps, schema_editor):
    rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0011_category_icons"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
