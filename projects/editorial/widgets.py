"""`ItemImageChooser`: Wagtail's image chooser widget, opening `chooser.py`'s chooser on one
collection. Imported by the page forms, so no model or view imports here."""

from urllib.parse import urlencode

from wagtail.admin.telepath import register
from wagtail.images.widgets import AdminImageChooser, ImageChooserAdapter


class ItemImageChooser(AdminImageChooser):
    chooser_modal_url_name = "item_images_chooser:choose"

    def __init__(self, *, collection_id, **kwargs):
        super().__init__(**kwargs)
        self.collection_id = collection_id

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return f"{url}?{urlencode({'collection_id': self.collection_id})}"


register(ImageChooserAdapter(), ItemImageChooser)
