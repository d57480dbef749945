"""Categories show a named line icon (static/img/icons/categories.svg) instead of an emoji, which
renders as an empty box on phones without an emoji font. Existing emoji become the icon that
means the same; an emoji with no counterpart leaves the category without an icon."""

from django.db import migrations, models

# Icon name → emoji that mean it; the first is the one restored when migrating backwards.
EMOJI = {
    "school": "🏫🎓📚✏🖍",
    "hospital": "🏥⚕💊🩺🚑",
    "park": "🌳🌲🌴🏞🌷🌸⛲",
    "road": "🛣🚧🛤🚦",
    "transport": "🚌🚍🚇🚆🚗🚲🚏🚉🅿",
    "water": "💧🚰🌊🚿",
    "environment": "🌿♻🌱🍃🌍🌏☘",
    "culture": "🏛🎭🎨🏯📖🎵",
    "sports": "⚽🏀🏃🏊🏸🏓🏅🚴",
    "social": "🤝👪❤🫶🙌",
    "elderly": "🧓👴👵🦯",
    "housing": "🏘🏠🏡🏢🏗🏙",
    "employment": "💼👷🏭",
    "safety": "🛡🚒👮🚨🧯",
}
ICON_FOR_EMOJI = {emoji: name for name, emojis in EMOJI.items() for emoji in emojis}
# Emoji variation selector and skin-tone modifiers, which do not change the meaning.
MODIFIERS = dict.fromkeys([0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])


def emoji_to_icon(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    for category in Category.objects.exclude(icon=""):
        if category.icon in EMOJI:
            continue
        category.icon = ICON_FOR_EMOJI.get(category.icon.translate(MODIFIERS).strip(), "")
        category.save(update_fields=["icon"])


def icon_to_emoji(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    for name, emojis in EMOJI.items():
        Category.objects.filter(icon=name).update(icon=emojis[0])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_routed_feedback_permission"),
    ]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="icon",
            field=models.CharField(
                blank=True,
                choices=[
                    ("school", "School"),
                    ("hospital", "Hospital"),
                    ("park", "Park and trees"),
                    ("road", "Road"),
                    ("transport", "Bus and transport"),
                    ("water", "Water"),
                    ("environment", "Environment (leaf)"),
                    ("culture", "Culture (museum)"),
                    ("sports", "Sports (ball)"),
                    ("social", "Social services (people)"),
                    ("elderly", "Elderly care"),
                    ("housing", "Housing"),
                    ("employment", "Employment (briefcase)"),
                    ("safety", "Public safety (shield)"),
                ],
                help_text="The small picture shown beside the category's name on the public site.",
                max_length=20,
                verbose_name="icon",
            ),
        ),
        migrations.RunPython(emoji_to_icon, icon_to_emoji),
    ]
