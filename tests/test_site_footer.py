"""The footer a Chinese government site must show: host, contact and registration numbers,
edited as a Wagtail site setting, shown only where set."""

from datetime import date

from django.test import TestCase
from wagtail.models import Site

from portal.models import SiteFooter
from portal.setup import ensure_home_page
from projects.factories import ProjectIndexPageFactory, ProjectPageFactory

LABELS = ["主办单位", "承办单位", "联系电话", "电子邮箱", "网站标识码", "beian"]


class SiteFooterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        year = ProjectIndexPageFactory(parent=home, year=2022, status_date=date(2022, 10, 31))
        ProjectPageFactory(parent=year, number=1)
        cls.urls = ["/", "/2022/", "/2022/1/", "/search/?q=公园", "/map/"]

    def set_footer(self, **values):
        footer = SiteFooter.for_site(Site.objects.get(is_default_site=True))
        for name, value in values.items():
            setattr(footer, name, value)
        footer.save()

    def test_empty_settings_show_no_empty_labels(self):
        for url in self.urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            # The footer's own labels (the page may ask for an e-mail address elsewhere).
            footer = response.content.decode().split('<footer class="site-footer">')[1]
            for label in LABELS:
                self.assertNotIn(label, footer, url)

    def test_a_page_view_does_not_create_the_settings_row(self):
        self.client.get("/")
        self.assertFalse(SiteFooter.objects.exists())

    def test_set_values_appear_in_the_footer_of_every_public_page(self):
        self.set_footer(
            host_organisation="肇庆高新区管理委员会",
            phone="0758-3600000",
            email="minsheng@example.cn",
            site_code="4412000001",
            icp_number="粤ICP备12345678号-1",
            police_number="粤公网安备44120302000123号",
        )
        for url in self.urls:
            response = self.client.get(url)
            footer = response.content.decode().split('<footer class="site-footer">')[1]
            self.assertIn("<dt>主办单位</dt><dd>肇庆高新区管理委员会</dd>", footer, url)
            self.assertIn('<a href="tel:07583600000">0758-3600000</a>', footer, url)
            self.assertIn('<a href="mailto:minsheng@example.cn">', footer, url)
            self.assertIn("网站标识码： 4412000001", footer, url)
            self.assertIn(
                '<a href="https://beian.miit.gov.cn/">粤ICP备12345678号-1</a>', footer, url
            )
            self.assertIn(
                '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=44120302000123">'
                "粤公网安备44120302000123号</a>",
                footer,
                url,
            )
            self.assertNotIn("承办单位", footer, url)  # not set, not shown
