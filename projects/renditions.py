"""The image renditions each kind of photo needs, fetched in bulk for a page of them.

`{% picture %}` asks an image for its renditions one image at a time; without help that is a
query (or a cache round trip) per photo. `prefetch_renditions` loads, in one query, only the
renditions the templates will ask for, so the tag finds them on the image without a query.
The specs here must match templates/components/photo.html (and the og:image in
templates/projects/project_page.html); tests/test_query_counts.py fails if they drift apart.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images.models import Filter

_expand = Filter().expand_spec

# size="card"
CARD = tuple(_expand("fill-{240x180,400x300,720x540} format-{webp,jpeg}"))
# size="cover", and the page's og:image
COVER = (
    *_expand("fill-{640x360,960x540,1280x720} format-{webp,jpeg}"),
    "fill-1200x630|format-jpeg",
)
# no size (galleries) and size="thumb" (an update's photos, two or three to a row)
GALLERY = tuple(_expand("fill-{400x300,800x600,1200x900} format-{webp,jpeg}"))
# size="wide"
WIDE = tuple(_expand("width-{480,800,1200} format-{webp,jpeg}"))
# link_full: the screen-sized renditions the photo viewer opens
VIEWER = ("max-800x800|format-webp", "max-1600x1600|format-webp")


def prefetch_renditions(images, specs):
    """Attach the renditions in `specs` to each image in `images` (None skipped), one query.

    Wagtail's `Image.get_renditions` looks at `prefetched_renditions` first and trusts it: a
    rendition missing from it is created (not looked up), so `specs` must cover what is
    rendered. Images that already carry prefetched renditions are left alone.
    """
    images = [
        image
        for image in images
        if image is not None and not hasattr(image, "prefetched_renditions")
    ]
    if not images:
        return
    rendition_model = type(images[0]).get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=set(specs)),
            to_attr="prefetched_renditions",
        ),
    )
