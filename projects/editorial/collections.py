"""One image collection per item, under one per year: "2022年民生实事 / 11. 将军山体育公园".

The item's editor (and its updates' editor) opens the image chooser on that collection, and
photos uploaded there land in it (`chooser.py`). Existing photos in the root collection move
into the collection of the item that shows them when it is made; a photo already filed
elsewhere stays where it is. Also used by migration 0008 for the items that already exist.
"""

from wagtail.models import Collection

from ..models import (
    ItemCollection,
    PortalImage,
    ProjectGalleryImage,
    ProjectIndexPage,
    UpdatePhoto,
)


def item_image_ids(item, *, gallery_model, photo_model):
    """Ids of the photos an item shows: its cover, its gallery and its updates' photos."""
    ids = set(gallery_model.objects.filter(page_id=item.pk).values_list("image_id", flat=True))
    ids |= set(
        photo_model.objects.filter(
            page__path__startswith=item.path, page__depth=item.depth + 1
        ).values_list("image_id", flat=True)
    )
    if item.cover_image_id:
        ids.add(item.cover_image_id)
    return ids


def make_item_collection(item, year_title, *, image_model, gallery_model, photo_model):
    """Create the collection of `item` under its year's and file its root-collection photos."""
    root = Collection.get_first_root_node()
    year = root.get_children().filter(name=year_title).first()
    if year is None:
        year = root.add_child(name=year_title)
    collection = year.add_child(name=f"{item.number}. {item.title}")
    image_model.objects.filter(
        pk__in=item_image_ids(item, gallery_model=gallery_model, photo_model=photo_model),
        collection_id=root.pk,
    ).update(collection_id=collection.pk)
    return collection


def collection_for(item):
    """The item's collection, made on first need (None on a site without collections)."""
    link = ItemCollection.objects.filter(item=item).select_related("collection").first()
    if link is not None:
        return link.collection
    if not Collection.objects.exists():
        return None
    year_page = ProjectIndexPage.objects.get(path=item.path[: -item.steplen])
    collection = make_item_collection(
        item,
        year_page.title,
        image_model=PortalImage,
        gallery_model=ProjectGalleryImage,
        photo_model=UpdatePhoto,
    )
    ItemCollection.objects.create(item=item, collection=collection)
    return collection
