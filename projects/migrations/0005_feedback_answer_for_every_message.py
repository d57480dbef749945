"""Every message but spam gets an answer the resident reads, published or not.

`closed_at` now means "the resident has had their answer": a message a department answered
while it was still pending was left open before; it is closed at the time of its answer.
Messages rejected under the old rule stay closed (they were closed when rejected); new ones
stay open until answered. The status "rejected" is now labelled "Not published".
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce, Now


def close_answered_messages(apps, schema_editor):
    Feedback = apps.get_model("projects", "Feedback")
    answered = Feedback.objects.filter(closed_at__isnull=True).exclude(reply="")
    answered.exclude(status="spam").update(closed_at=Coalesce(F("replied_at"), Now()))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_department_editors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feedback",
            name="closed_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="When the resident had their answer (praise and ratings: when moderated; spam: at once).",
                null=True,
                verbose_name="closed",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="moderation_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the message is not published or is spam (for the moderators; the resident and the public never see it).",
                verbose_name="reason",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="reply",
            field=models.TextField(
                blank=True,
                help_text="The resident reads it on their status page as soon as it is saved, published or not; the public sees it on the item page only if the message is published.",
                verbose_name="answer to the resident",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="reply_department",
            field=models.ForeignKey(
                blank=True,
                help_text="The answer is shown as this department's answer.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="projects.department",
                verbose_name="answering department",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending review"),
                    ("published", "Published"),
                    ("rejected", "Not published"),
                    ("spam", "Spam"),
                ],
                db_index=True,
                default="pending",
                help_text="Whether the message is shown on the item page. A message that is not published still gets an answer on the resident's status page; only spam gets none.",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(close_answered_messages, migrations.RunPython.noop),
    ]
