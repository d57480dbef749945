"""Department scoping: Reviewers may edit every department's items; Editors only their own.

Which departments an editor belongs to is `DepartmentMember` (0003); the rule is enforced in
`projects.editorial.permissions`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_all_departments(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="projects", codename="edit_all_departments"
    )
    for group in Group.objects.filter(name="Reviewers"):
        group.permissions.add(permission)


def revoke_all_departments(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="projects", codename="edit_all_departments"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_feedback"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="department",
            options={
                "ordering": ["sort_order", "name"],
                "permissions": [("edit_all_departments", "Can edit the items of every department")],
                "verbose_name": "department",
                "verbose_name_plural": "departments",
            },
        ),
        migrations.RunPython(grant_all_departments, revoke_all_departments),
    ]
