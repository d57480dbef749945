"""The departments' email digest: each department's editors get their behind and stale items.

Figures come from the monthly report as of today (`reports.monthly_report`), so the digest,
the report and the dashboard agree. Sent by `manage.py send_department_digest` (monthly cron).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..mail import send_later
from ..models import DepartmentMember
from .reports import BEHIND, monthly_report


def department_digests(year_page, today=None):
    """(department, recipients, behind figures, stale figures) for departments with news."""
    today = today or timezone.localdate()
    month = today.month if year_page.year == today.year else 12
    report = monthly_report(year_page, year_page.year, month, today=today)
    members = {}
    for member in DepartmentMember.objects.filter(
        user__is_active=True, department__in=[f.department for f in report.figures]
    ).select_related("user"):
        if member.user.email:
            members.setdefault(member.department_id, []).append(member.user.email)
    by_department = {}
    for figure in report.figures:
        by_department.setdefault(figure.department, []).append(figure)
    digests = []
    for department, figures in by_department.items():
        behind = sorted(
            (f for f in figures if f.colour in BEHIND), key=lambda f: (-f.lag, f.item.number)
        )
        stale = [f for f in figures if f.stale]
        if (behind or stale) and members.get(department.pk):
            digests.append((department, sorted(members[department.pk]), behind, stale, report))
    return digests


def send_digest(department, recipients, behind, stale, report):
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "department": department,
            "behind": behind,
            "stale": stale,
            "report": report,
            "stale_days": settings.PORTAL_STALE_DAYS,
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/",
        }
        subject = _("%(department)s: %(behind)s items behind schedule, %(stale)s stale") % {
            "department": department.name,
            "behind": len(behind),
            "stale": len(stale),
        }
        body = render_to_string("projects/editorial/admin/digest_email.txt", context)
    send_later(subject, body, recipients, from_email=settings.DEFAULT_FROM_EMAIL)
