from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from projects.models import ProjectIndexPage


class HomePage(Page):
    """The site root: the current year's overview and links to every year."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["projects.ProjectIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def year_pages(self):
        return ProjectIndexPage.objects.child_of(self).live().order_by("-year")

    def get_context(self, request, *args, **kwargs):
        from projects.overview import year_overview

        context = super().get_context(request, *args, **kwargs)
        years = list(self.year_pages())
        context["years"] = years
        if years:
            context["overview"] = year_overview(years[0])
        return context
