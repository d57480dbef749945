"""The second sign-in step for tests: the code an authenticator app would show, and
`pass_second_factor(page)`, which a browser test calls right after submitting the password.

Administrators, reviewers and moderators must have two-step verification
(portal.signin.two_factor), so a browser that signs in as one lands on the set-up page (no
device yet: it reads the secret off the page, as a person types it into the app) or on the code
page (it asks the account's device in the database for its current code)."""

import base64
import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

AFTER_PASSWORD = re.compile(r"^https?://[^/]+/admin/(two-step/[^?]*)?(\?.*)?$")


def code_for_secret(secret, at=None):
    """The current code for a secret as the set-up page shows it (base32, spaced)."""
    text = "".join(secret.split()).upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    totp = TOTP(key)
    totp.time = at or time.time()
    return f"{totp.token():06d}"


def next_code(device):
    """The code the device accepts now: the current one, or the next step's when the current
    one was used already (a code is accepted once; the device allows one step of drift)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():06d}"


def give_device(user, key="3132333435363738393031323334353637383930"):
    """A confirmed authenticator for `user`, with a known key."""
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def pass_second_factor(page, username):
    """After the password was submitted: set up or enter the code if asked, and land where
    the sign-in was going. Editors without a device are never asked."""
    page.wait_for_url(AFTER_PASSWORD)
    if "/two-step/set-up/" in page.url:
        secret = page.locator("#totp-secret").inner_text()
        page.fill("input[name=code]", code_for_secret(secret))
        page.locator("form.login-form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/two-step/backup-codes/.*"))
        page.locator("main a.button").click()
    elif "/two-step/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("input[name=code]", next_code(device))
        page.locator("form.login-form button[type=submit]").click()
    page.wait_for_load_state()
