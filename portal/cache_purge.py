"""Purge the cached pages that show what changed (`projects.generations`, the tokens behind
the page cache and its fragments, and Wagtail's frontend cache).

- An item or a progress update published, unpublished, moved or deleted: every page of its
  year (the year list with all its filters, its items, whose figures and related cards may have
  moved with it, and their updates, and the year's and items' feeds and downloads under
  `/<year>/`), the overview, the map, search, the sitemap, the site's feeds and the open data
  API (`/api/`, a section of its own).
- A year list or the home page, a category, department, district, search synonym or the
  footer: the whole site (they show in every page's header, cards or filters).
- Feedback moderated or answered: the item page and its update pages, which all show it, and
  the open data API.
- `refresh_schedules` (the daily colour refresh) and `generate_bench_data` send
  `projects.signals.everything_changed`: the whole site.

Wagtail's own handlers purge the published page's URL as well; this adds the pages that show
it. URLs go through `PurgeBatch`, so a CDN or Varnish configured in `WAGTAILFRONTENDCACHE` gets
the same purges as the shared cache.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.signals import page_published, page_unpublished, post_page_move

from projects import generations
from projects.boards import board_path
from projects.choices import FeedbackStatus
from projects.models import (
    Category,
    Department,
    District,
    Feedback,
    FeedbackPhoto,
    ProgressUpdatePage,
    ProjectIndexPage,
    ProjectPage,
    SearchSynonym,
)
from projects.signals import everything_changed

from .models import HomePage

SITE_PATHS = ("/", "/map/", "/search/", "/sitemap.xml", "/feed/", "/feed/rss/")


def purge_year_of(page):
    """The year list `page` is in (or is) and everything under it, plus the site-wide pages."""
    year_page = ProjectIndexPage.objects.ancestor_of(page, inclusive=True).first()
    if year_page is None:
        return
    generations.purge_section(year_page.year)
    generations.purge_api()
    batch = PurgeBatch()
    batch.add_page(year_page)
    root = year_page.get_site().root_url if year_page.get_site() else ""
    batch.add_urls(root + path for path in SITE_PATHS)
    batch.add_urls(root + path for path in board_paths(year_page, page))
    batch.purge()


def board_paths(year_page, page):
    """The site boards (`projects.boards`) that show `page`: the year's document and, for an
    item or one of its updates, the item's own board. Wagtail's frontend cache knows only the
    pages' own URLs; the page cache gets them with the year's section anyway."""
    parts = year_page.get_url_parts()
    if parts is None:
        return []
    year_path = parts[2]
    paths = [year_path + "boards/"]
    if isinstance(page, ProjectPage):
        item = page
    else:
        item = ProjectPage.objects.ancestor_of(page).only("slug").first()
    if item is not None:
        paths.append(board_path(f"{year_path}{item.slug}/"))
    return paths


@receiver(everything_changed)
def purge_everything(**kwargs):
    generations.purge_site()


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, ProjectIndexPage | HomePage):
        purge_everything()
    elif isinstance(instance, ProjectPage | ProgressUpdatePage):
        purge_year_of(instance)


@receiver(post_delete, sender=ProjectPage)
@receiver(post_delete, sender=ProgressUpdatePage)
def page_deleted(sender, instance, **kwargs):
    # The rows above it still exist when a child is deleted with its parent's subtree.
    purge_year_of(instance)


@receiver(post_delete, sender=ProjectIndexPage)
def year_deleted(sender, instance, **kwargs):
    purge_everything()


@receiver(post_page_move)
def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    for parent in (parent_page_before, parent_page_after):
        purge_year_of(parent)
    if isinstance(instance.specific, ProjectIndexPage):
        purge_everything()


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Department)
@receiver(post_save, sender=District)
@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=Category)
@receiver(post_delete, sender=Department)
@receiver(post_delete, sender=District)
@receiver(post_delete, sender=SearchSynonym)
def snippet_changed(sender, instance, **kwargs):
    purge_everything()


@receiver(post_save)
def site_setting_changed(sender, instance, **kwargs):
    if isinstance(instance, BaseSiteSetting):
        purge_everything()


@receiver(post_save, sender=Feedback)
@receiver(post_delete, sender=Feedback)
def feedback_changed(sender, instance, created=False, **kwargs):
    """A new message waiting for moderation shows nowhere yet: only moderation purges."""
    if created and instance.status != FeedbackStatus.PUBLISHED:
        return
    generations.purge_api()  # an item's feedback in the open data
    batch = PurgeBatch()
    if instance.project is not None:
        # Every update page shows the whole item's messages too.
        batch.add_page(instance.project)
        batch.add_pages(ProgressUpdatePage.objects.child_of(instance.project).live())
    elif instance.update is not None:
        batch.add_page(instance.update)
    batch.purge()


@receiver(post_save, sender=FeedbackPhoto)
def feedback_photo_changed(sender, instance, created=False, **kwargs):
    if not created and instance.feedback.status == FeedbackStatus.PUBLISHED:
        feedback_changed(Feedback, instance.feedback)
