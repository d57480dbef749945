"""Public follow views: the form, "check your mailbox", confirming and unsubscribing.

The form is also shown inside item pages and filtered year lists, which the shared page cache
serves to everyone: there it carries no per-visitor token, and `static/js/feedback.js` fetches
the CSRF and start tokens (`feedback_form_tokens`) as for the feedback form; a post with a
stale token comes back filled in (`csrf_failure`). Every view here is never cached.

The answer to a follow request never says whether the address follows already, so the form
cannot be used to find out who follows what.
"""

import logging

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..feedback import throttle
from ..mail import enqueue_on_commit
from .forms import FollowForm
from .mailing import send_confirmation
from .subscription import (
    confirm,
    normalise_email,
    resolve_target,
    subscribe,
    subscriber_for,
    target_of,
    unsubscribe,
)

logger = logging.getLogger(__name__)
FORM_TEMPLATE = "projects/follow/form_page.html"


def _private(response):
    """Pages reached from a link with a token in its URL: not indexed, no Referer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _form_page(request, form, target, status=200, notice=""):
    response = render(
        request,
        FORM_TEMPLATE,
        {"form": form, "target": target, "notice": notice, "posted": request.method == "POST"},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _sent():
    return HttpResponseRedirect(reverse("follow_sent"))


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    """GET `?kind=item&target=<page id>` (or district / category and a slug): the form on a
    page of its own. POST: record the follow and send its confirmation e-mail."""
    data = request.POST if request.method == "POST" else request.GET
    target = resolve_target(data.get("kind"), data.get("target"))
    if target is None:
        raise Http404
    if request.method == "GET":
        form = FollowForm(initial={"kind": target.kind, "target": target.ref})
        return _form_page(request, form, target)

    form = FollowForm(request.POST)
    reason = form.bot_reason()
    if reason in ("honeypot", "too-fast", "tampered"):
        logger.info("follow bot check failed (%s)", reason)
        return _sent()
    if reason == "stale":
        form.refresh_started()
        form.is_valid()
        notice = _("This form was open for a long time. Please check your address and send it.")
        return _form_page(request, form, target, notice=notice)
    if not form.is_valid():
        return _form_page(request, form, target)
    verdict = throttle.hit(throttle.client_ip(request), scope="follow-rate")
    if not verdict.allowed:
        form.add_error(
            None,
            _(
                "You have sent this form several times in a short time. Please try again in "
                "%(minutes)d minutes."
            )
            % {"minutes": verdict.retry_minutes},
        )
        return _form_page(request, form, target, status=429)
    if not form.claim_started():
        return _sent()  # the same form sent twice: the first one did the work

    email = normalise_email(form.cleaned_data["email"])
    pending = subscribe(email, get_language() or settings.LANGUAGE_CODE, target)
    if pending is not None:
        # At most a few confirmation e-mails a day to one mailbox, whoever asks.
        mailbox = throttle.hit(
            email.lower(),
            scope="follow-mailbox",
            limit=settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS,
            window=24 * 3600,
        )
        if mailbox.allowed:
            enqueue_on_commit(send_confirmation, pending.pk)
    return _sent()


@never_cache
def sent(request):
    response = render(
        request,
        "projects/follow/sent.html",
        {"confirm_days": settings.FOLLOW_CONFIRM_DAYS},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def confirmed(request, token):
    """The link in the confirmation e-mail: confirms the follow (once; again is harmless)."""
    follow_row = confirm(token)
    if follow_row is None:
        response = render(request, "projects/follow/invalid_link.html", status=404)
        return _private(response)
    return _private(
        render(
            request,
            "projects/follow/confirmed.html",
            {
                "target": target_of(follow_row),
                "unsubscribe_url": reverse(
                    "follow_unsubscribe", args=[follow_row.subscriber.token]
                ),
            },
        )
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """GET: a page with one button. POST: erase the address (RFC 8058 one-click: mail apps
    post `List-Unsubscribe=One-Click` here without any cookie or CSRF token, so this view is
    CSRF-exempt; the 192-bit token in the URL is what authorises it, and erasing is all a
    forged post could do). A link checker's GET never unsubscribes anyone."""
    if request.method == "POST":
        unsubscribe(token)
        return _private(render(request, "projects/follow/unsubscribed.html"))
    subscriber = subscriber_for(token)
    return _private(
        render(
            request,
            "projects/follow/unsubscribe.html",
            {"subscriber": subscriber},
            status=200 if subscriber else 404,
        )
    )


def csrf_failure(request, reason=""):
    """The follow form posted with a stale CSRF token (a cached page): the form again, with
    the address typed and a fresh token. Called from the feedback's CSRF failure view."""
    target = resolve_target(request.POST.get("kind"), request.POST.get("target"))
    if target is None:
        return None
    form = FollowForm(request.POST)
    form.refresh_started()
    form.is_valid()
    notice = _(
        "For your security this form had expired. Please check your address and send it again."
    )
    response = _form_page(request, form, target, status=403, notice=notice)
    response["Cache-Control"] = "no-store"
    return response
