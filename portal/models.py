import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from projects import generations
from projects.models import ProjectIndexPage
from projects.models.pages import route_to_child
from projects.overview import year_overview


class HomePage(Page):
    """The site root: the current year's overview and links to every year."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["projects.ProjectIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        return route_to_child(self, ProjectIndexPage, request, path_components) or super().route(
            request, path_components
        )

    def year_pages(self):
        return ProjectIndexPage.objects.child_of(self).live().order_by("-year")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years = list(self.year_pages())
        context["years"] = years
        if years:
            # A dozen roll-ups over the year: computed once after each change of that year.
            year = years[0]
            context["overview"] = generations.remember(
                request, year.cache_scopes, f"overview:{year.pk}", lambda: year_overview(year)
            )
        return context


@register_setting(icon="site")
class SiteFooter(BaseSiteSetting):
    """What a Chinese government website shows in its footer: who runs it, how to reach them,
    and its registration numbers. Every field is optional; the footer shows only those set
    (templates/navigation/site_footer.html)."""

    host_organisation = models.CharField(
        _("hosted by (主办单位)"),
        max_length=100,
        blank=True,
        help_text=_("The government body responsible for the site."),
    )
    organiser = models.CharField(
        _("run by (承办单位)"),
        max_length=100,
        blank=True,
        help_text=_("The office that runs the site day to day, if not the host itself."),
    )
    phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    site_code = models.CharField(
        _("website identifier code (网站标识码)"),
        max_length=20,
        blank=True,
        help_text=_("The code issued for government websites, e.g. 4412000001."),
    )
    icp_number = models.CharField(
        _("ICP record number (ICP备案号)"),
        max_length=50,
        blank=True,
        help_text=_("As registered, e.g. 粤ICP备12345678号-1. Links to beian.miit.gov.cn."),
    )
    police_number = models.CharField(
        _("public security record number (公安备案号)"),
        max_length=50,
        blank=True,
        help_text=_("As registered, e.g. 粤公网安备44120302000123号. Links to beian.mps.gov.cn."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("host_organisation"), FieldPanel("organiser")], heading=_("Organisation")
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("site_code"), FieldPanel("icp_number"), FieldPanel("police_number")],
            heading=_("Registration numbers"),
        ),
    ]

    class Meta:
        verbose_name = _("site footer")

    @property
    def police_record_code(self):
        """The digits of the public security record number, as its look-up page expects."""
        return re.sub(r"\D", "", self.police_number)

    @property
    def has_contact(self):
        return bool(
            self.host_organisation or self.organiser or self.phone or self.email or self.address
        )

    @property
    def has_records(self):
        return bool(self.site_code or self.icp_number or self.police_number)
