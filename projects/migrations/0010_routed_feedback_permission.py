"""Move "Can answer feedback routed to own department" from Feedback to DepartmentMember.

Whoever held the old permission (the Editors group) holds the new one; the old row is deleted.
`user.has_perm("projects.answer_routed_feedback")` reads the same before and after.
"""

from django.db import migrations

CODENAME = "answer_routed_feedback"
NAME = "Can answer feedback routed to own department"


def move_permission(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old_type, _ = ContentType.objects.get_or_create(app_label="projects", model=source)
    new_type, _ = ContentType.objects.get_or_create(app_label="projects", model=target)
    old = Permission.objects.filter(content_type=old_type, codename=CODENAME).first()
    new, _ = Permission.objects.get_or_create(
        content_type=new_type, codename=CODENAME, defaults={"name": NAME}
    )
    if old is None:
        return
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)
    old.delete()


def forwards(apps, schema_editor):
    move_permission(apps, schema_editor, "feedback", "departmentmember")


def backwards(apps, schema_editor):
    move_permission(apps, schema_editor, "departmentmember", "feedback")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_workflow_names_in_chinese"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="feedback",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("view_feedback_contact", "Can see residents' contact details")],
                "verbose_name": "feedback",
                "verbose_name_plural": "feedback",
            },
        ),
        migrations.AlterModelOptions(
            name="departmentmember",
            options={
                "permissions": [(CODENAME, NAME)],
                "verbose_name": "department member",
                "verbose_name_plural": "department members",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
