"""Keep the items' derived figures in step with their published progress updates.

An update moves its own item, and may move the whole year's data date (the date every item is
judged on, `ProjectIndexPage.data_date`): then all of the year's items are judged again.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from .editorial.collections import collection_for
from .models import ProgressUpdatePage, ProjectIndexPage, ProjectPage

# Sent (no arguments) when figures every page may show changed without a page being published:
# `refresh_schedules`, `generate_bench_data`. The page cache (`portal.cache_purge`) purges all.
everything_changed = Signal()


def _refresh_parent_of(update):
    project = ProjectPage.objects.filter(path=update.path[: -ProjectPage.steplen]).first()
    if project is None:
        return
    year_page = project.year_page
    if year_page is not None and update.date >= year_page.assessment_date():
        # The latest update of the year was published or withdrawn: the data date moved.
        year_page.refresh_items()
    else:
        project.refresh_progress()
    index.insert_or_update_object(project)  # its updates' text is part of its document


@receiver(page_published, sender=ProgressUpdatePage)
@receiver(page_unpublished, sender=ProgressUpdatePage)
def update_changed(sender, instance, **kwargs):
    _refresh_parent_of(instance)


@receiver(post_delete, sender=ProgressUpdatePage)
def update_deleted(sender, instance, **kwargs):
    _refresh_parent_of(instance)


@receiver(page_published, sender=ProjectIndexPage)
def year_changed(sender, instance, **kwargs):
    """The year's set assessment date may have changed."""
    instance.refresh_items()


@receiver(post_page_move)
def update_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if isinstance(instance.specific, ProgressUpdatePage):
        for parent in (parent_page_before, parent_page_after):
            project = ProjectPage.objects.filter(pk=parent.pk).first()
            if project is not None:
                project.refresh_progress()
                index.insert_or_update_object(project)  # the update's words move with it


@receiver(post_save, sender=ProjectPage)
def item_created(sender, instance, created, raw=False, **kwargs):
    """A new item gets its photo collection (see `projects.editorial.collections`)."""
    if created and not raw:
        collection_for(instance)
