"""Staff accounts: the admin's password reset, limited so it cannot be used to flood a mailbox."""

from django.conf import settings
from wagtail.admin.forms.auth import PasswordResetForm

from projects.feedback.throttle import client_ip, hit

HOUR = 3600


class LimitedPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form, sending at most PASSWORD_RESET_LIMIT_PER_ADDRESS e-mails an hour to
    one address and PASSWORD_RESET_LIMIT_PER_IP requests an hour from one client.

    Over the limit the page still says the e-mail is on its way, as it does for an unknown
    address: the answer never tells which addresses have accounts.
    """

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        by_client = hit(
            client_ip(request) if request else "",
            scope="password-reset-ip",
            limit=settings.PASSWORD_RESET_LIMIT_PER_IP,
            window=HOUR,
        )
        if not by_client.allowed:
            return
        by_address = hit(
            email,
            scope="password-reset-email",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window=HOUR,
        )
        if not by_address.allowed:
            return
        super().save(*args, request=request, **kwargs)
