from django.conf import settings
from wagtail.models import Page, Site

from .models import HomePage


def ensure_home_page():
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    welcome = root.get_children().filter(slug="home").first()
    if welcome is not None:
        welcome.slug = "wagtail-welcome"
        welcome.save(update_fields=["slug"])
    home = HomePage(title=settings.WAGTAIL_SITE_NAME, slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    if welcome is not None and not welcome.get_children().exists():
        welcome.delete()
    return home
