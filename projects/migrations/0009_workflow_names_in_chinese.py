"""Name the approval workflow, its task and the page tree's root in Chinese.

Wagtail's own migrations create the workflow and its group task as "Moderators approval" and
the root page as "Root"; editors read these names in the admin ("提交给Moderators approval",
"浏览：Root"). They are data, not translatable strings, so they are renamed here, only where
they still carry Wagtail's default names (a name an administrator chose is left alone).
Group names stay as they are: code and permissions look groups up by name, and only
administrators see them.
"""

from django.db import migrations

WORKFLOW = ("Moderators approval", "审核发布")
TASK = ("Moderators approval", "审核人审核")
ROOT_TITLE = ("Root", "根目录")


def rename(apps, forward):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    pick = (lambda pair: pair) if forward else (lambda pair: pair[::-1])
    old, new = pick(WORKFLOW)
    Workflow.objects.filter(name=old).update(name=new)
    old, new = pick(TASK)
    Task.objects.filter(name=old).update(name=new)
    old, new = pick(ROOT_TITLE)
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def to_chinese(apps, schema_editor):
    rename(apps, forward=True)


def to_wagtail_defaults(apps, schema_editor):
    rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_editorial_item_collections"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_chinese, to_wagtail_defaults)]
