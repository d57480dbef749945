from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/captioned_image_block.html"


class ProjectBodyBlock(blocks.StreamBlock):
    """What an item page's body may hold: headings, text and captioned photos."""

    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", icon="title", max_length=80
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    image = CaptionedImageBlock()
