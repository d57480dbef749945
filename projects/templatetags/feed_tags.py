"""The feed that follows what a public page shows, for its `<link rel="alternate">` and its
visible "subscribe" link (`projects.feeds`)."""

from django import template

from projects.feeds.feeds import item_scope, site_scope, year_scope
from projects.models import ProjectIndexPage, ProjectPage

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feed(context):
    """The `projects.feeds.feeds.Scope` of this page, or None: an item's updates on its page,
    a year's on its list (narrowed to the category and district the list is filtered by), the
    site's anywhere else. No query: the filter form has already looked the snippets up."""
    request = context["request"]
    page = context.get("page")
    if isinstance(page, ProjectPage):
        # A preview of an item not yet in the tree has no feed.
        return item_scope(request, page) if page.pk and page.year_page else None
    if isinstance(page, ProjectIndexPage):
        filterset = context.get("filterset")
        chosen = filterset.form.cleaned_data if filterset and filterset.is_valid() else {}
        return year_scope(
            request, page, category=chosen.get("category"), district=chosen.get("district")
        )
    return site_scope(request)
