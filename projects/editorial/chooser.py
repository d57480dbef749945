"""The image chooser an item's editor opens: on the item's photo collection, uploads into it.

A copy of Wagtail's image chooser (its own URLs, `item_images_chooser`) whose choose view
takes `collection_id` as the initial collection of its upload form; the collection filter
itself is Wagtail's (`?collection_id=`), with "All collections" one click away. Opened by
`ItemImageChooser`, which the item and update forms put on their image fields
(`projects.models.forms`). Registered in `wagtail_hooks.py`.
"""

from wagtail.images import get_image_model
from wagtail.images.views.chooser import (
    ImageChooseResultsView,
    ImageChooserViewSet,
    ImageChooseView,
)


class InitialCollectionMixin:
    def get_creation_form_kwargs(self):
        kwargs = super().get_creation_form_kwargs()
        collection_id = self.request.GET.get("collection_id", "")
        if self.request.method == "GET" and collection_id.isdigit():
            kwargs["initial"] = {"collection": int(collection_id)}
        return kwargs


class ItemImageChooseView(InitialCollectionMixin, ImageChooseView):
    pass


class ItemImageChooseResultsView(InitialCollectionMixin, ImageChooseResultsView):
    pass


class ItemImageChooserViewSet(ImageChooserViewSet):
    choose_view_class = ItemImageChooseView
    choose_results_view_class = ItemImageChooseResultsView


def item_image_chooser_viewset():
    return ItemImageChooserViewSet(
        "item_images_chooser", model=get_image_model(), url_prefix="images/item-chooser"
    )
