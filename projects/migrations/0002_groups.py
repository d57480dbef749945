"""Create the portal's groups so that a fresh install has them.

Wagtail's own migrations create "Editors" and "Moderators" with page permissions on the root
and a default approval workflow for "Moderators"; here "Moderators" becomes "Reviewers" (so
the workflow approves through them), and each group gets its snippet permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SNIPPETS = ("category", "department", "district")
GROUP_PERMISSIONS = {
    "Editors": [f"view_{name}" for name in SNIPPETS],
    "Reviewers": [f"{action}_{name}" for name in SNIPPETS for action in ("add", "change", "view")],
    "Feedback moderators": [],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name="Moderators").update(name="Reviewers")
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Feedback moderators").delete()
    Group.objects.filter(name="Reviewers").update(name="Moderators")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
