"""factory_boy factories for the content model, shared by the demo loader and the tests."""

import io
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from .models import (
    Category,
    Department,
    District,
    PortalImage,
    ProgressUpdatePage,
    ProjectIndexPage,
    ProjectPage,
)


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as a child of `parent` (required), published unless `publish=False`."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        if parent is None:
            raise ValueError(f"{model_class.__name__} needs a parent page")
        page = model_class(*args, **kwargs)
        page.live = publish
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"片区{n}")
    name_en = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


def _jpeg_bytes(width=64, height=48, colour=(90, 140, 200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A real (small, plain) JPEG; the demo loader passes generated site photos as `file`."""

    class Meta:
        model = PortalImage

    title = factory.Sequence(lambda n: f"照片{n}")
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(_jpeg_bytes()), name="photo.jpg"))
    date_taken = date(2022, 6, 1)


class ProjectIndexPageFactory(PageFactory):
    class Meta:
        model = ProjectIndexPage

    year = 2022
    title = factory.LazyAttribute(lambda o: f"{o.year}年民生实事")


class ProjectPageFactory(PageFactory):
    class Meta:
        model = ProjectPage

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"民生实事第{o.number}项")
    summary = "为居民办实事。"
    category = factory.SubFactory(CategoryFactory)
    department = factory.SubFactory(DepartmentFactory)
    district = factory.SubFactory(DistrictFactory)
    budget = Decimal("100.00")
    planned_start = date(2022, 1, 1)
    planned_completion = date(2022, 12, 31)


class ProgressUpdatePageFactory(PageFactory):
    class Meta:
        model = ProgressUpdatePage

    date = factory.Sequence(lambda n: date(2022, 2, 1) + timedelta(days=n))
    progress = 50
    text = "<p>施工有序推进。</p>"
