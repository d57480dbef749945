from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from projects.demo.catalogue import DEMO_SITE_FOOTER

from .models import HomePage, SiteFooter


def ensure_home_page():
    """Make a HomePage the default site's root, replacing Wagtail's welcome page.

    Used by `load_demo` on a fresh install and by the tests; also copes with a database that a
    transactional test has emptied (no locale, no root page, no site).
    """
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="根目录", slug="root"))
    plain_page = ContentType.objects.get_for_model(Page)
    welcome_pages = list(root.get_children().filter(content_type=plain_page))
    for welcome in welcome_pages:
        welcome.slug = f"wagtail-welcome-{welcome.pk}"  # frees "home" for the new root
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
    # Only now: Site.root_page cascades, so deleting the welcome page first would drop the Site.
    for welcome in welcome_pages:
        if not welcome.get_children().exists():
            welcome.delete()
    return home


def ensure_demo_site():
    """The home page, and plausible footer details with the registration numbers visibly
    marked as demo ones; an administrator's own details stay. The demo loader
    (`projects.demo.loader`) calls it through `settings.PORTAL_DEMO_SITE`, so `projects`
    imports nothing from `portal`."""
    home = ensure_home_page()
    footer = SiteFooter.for_site(home.get_site())
    if not footer.host_organisation:
        for name, value in DEMO_SITE_FOOTER.items():
            setattr(footer, name, value)
        footer.save()
    return home
