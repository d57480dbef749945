"""Public feedback views: leave a message, rate a finished item, follow a tracking code.

The form is also rendered inside the item page (`projects/feedback/section.html`); it posts
here, and every outcome other than success re-renders the form on its own page with what the
resident typed. These views are never cached (`never_cache`), so CSRF tokens stay valid even
when item pages are served from a cache.
"""

import logging
import re

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from ..choices import FeedbackKind, FeedbackStatus, Status
from ..models import Feedback, FeedbackPhoto, ProgressUpdatePage, ProjectPage
from . import throttle
from .forms import FeedbackForm, RatingForm, started_token
from .models import CODE_LENGTH
from .storage import private_photo_response
from .submission import store_feedback

logger = logging.getLogger(__name__)


def _target(page_id):
    """The live, public item or update a message is about, as (item, update)."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if isinstance(page, ProjectPage):
        return page, None
    if isinstance(page, ProgressUpdatePage):
        project = page.project
        if project is not None and project.live:
            return project, page
    raise Http404


def _render_form(request, template, context, status=200):
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _neutral(request, project, reason):
    logger.info("feedback bot check failed (%s) for page %s", reason, project.pk)
    return _render_form(request, "projects/feedback/received.html", {"item": project})


def _resend(request, form, template, context):
    """The form's start token was used already: show it again, filled in, to send once more."""
    form.refresh_started()
    context["notice"] = _(
        "This form has been sent once already. If you want to send another message, check it "
        "and send it again."
    )
    return _render_form(request, template, context)


@never_cache
@require_http_methods(["GET"])
def form_tokens(request):
    """The per-visitor part of a feedback form on a cached item page: its CSRF token (and
    cookie) and start token. `static/js/feedback.js` fetches it when the resident starts on
    the form; without JavaScript the form still posts and comes back filled in to send again
    (`csrf_failure`)."""
    response = JsonResponse({"csrfmiddlewaretoken": get_token(request), "started": started_token()})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def leave_feedback(request, page_id):
    project, update = _target(page_id)
    target_page = update or project
    template = "projects/feedback/form_page.html"
    if request.method == "GET":
        form = FeedbackForm()
        return _render_form(
            request, template, {"item": project, "target": target_page, "form": form}
        )

    form = FeedbackForm(request.POST, request.FILES)
    context = {"item": project, "target": target_page, "form": form, "posted": True}
    reason = form.bot_reason()
    if reason in ("honeypot", "too-fast", "tampered"):
        return _neutral(request, project, reason)
    if reason == "stale":
        form.refresh_started()
        form.is_valid()
        context["notice"] = _(
            "This form was open for a long time. Please check your message and send it again."
        )
        return _render_form(request, template, context)
    if not form.is_valid():
        return _render_form(request, template, context)

    if limited := _rate_limited(request, form, template, context):
        return limited
    if not form.claim_started():
        return _resend(request, form, template, context)

    data = form.cleaned_data
    feedback, created = store_feedback(
        project=project,
        update=update,
        kind=data["kind"],
        message=data["message"],
        name=data["name"],
        show_name=data["show_name"],
        contact=data["contact"],
        photos=data["photos"],
    )
    url = reverse("feedback_status", args=[feedback.tracking_code])
    return HttpResponseRedirect(f"{url}?{'new' if created else 'duplicate'}=1")


@never_cache
@require_http_methods(["GET", "POST"])
def rate_item(request, page_id):
    project, _update = _target(page_id)
    if project.status != Status.COMPLETED:
        raise Http404
    template = "projects/feedback/rating_page.html"
    if request.method == "GET":
        return _render_form(request, template, {"item": project, "form": RatingForm()})
    form = RatingForm(request.POST)
    context = {"item": project, "form": form, "posted": True}
    reason = form.bot_reason()
    if reason in ("honeypot", "too-fast", "tampered"):
        return _neutral(request, project, reason)
    if reason == "stale":
        form.refresh_started()
        form.is_valid()
        context["notice"] = _("This form was open for a long time. Please send it again.")
        return _render_form(request, template, context)
    if not form.is_valid():
        return _render_form(request, template, context)
    if limited := _rate_limited(request, form, template, context):
        return limited
    if not form.claim_started():
        return _resend(request, form, template, context)
    feedback, created = store_feedback(
        project=project,
        kind=FeedbackKind.RATING,
        rating=form.cleaned_data["rating"],
        message=form.cleaned_data["comment"],
    )
    url = reverse("feedback_status", args=[feedback.tracking_code])
    return HttpResponseRedirect(f"{url}?{'new' if created else 'duplicate'}=1")


def _private(response):
    """A page or photo only the holder of a tracking code reaches: kept out of search engines
    and out of the Referer header of any link followed from it (the code is in its URL)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _clean_code(text):
    """What a resident typed, as a code could be: letters and digits, upper case."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())[: CODE_LENGTH + 8]


@never_cache
def feedback_status(request, code):
    """What happened to one submission, for its sender: their own message and photos, whether
    it is published, and the answer (which every message but spam gets, published or not).

    The tracking code is a 16-character secret from `secrets`, so holding it is taken as
    being the sender; the page is never cached and never indexed."""
    feedback = (
        Feedback.objects.select_related("reply_department", "project")
        .defer("contact", "name")
        .filter(tracking_code=_clean_code(code))
        .first()
    )
    if feedback is None:
        return _track_page(request, code=_clean_code(code), missing=True)
    project = feedback.project if feedback.project and feedback.project.live else None
    return _private(
        render(
            request,
            "projects/feedback/status.html",
            {
                "feedback": feedback,
                "item": project,
                "photos": list(feedback.photos.all()),
                "is_new": "new" in request.GET,
                "is_duplicate": "duplicate" in request.GET,
                "reply_days": settings.FEEDBACK_REPLY_WORKING_DAYS,
            },
        )
    )


@never_cache
def own_photo(request, code, pk):
    """One photo of a message, pending or not, for the holder of its tracking code."""
    photo = get_object_or_404(
        FeedbackPhoto.objects.exclude(feedback__status=FeedbackStatus.SPAM),
        pk=pk,
        feedback__tracking_code=_clean_code(code),
    )
    return _private(private_photo_response(photo))


def _track_page(request, code="", missing=False):
    """The tracking box on a page of its own; after a code that matches nothing, a 404 that
    says so, keeps what was typed in the box and explains what a code looks like."""
    response = render(
        request,
        "projects/feedback/track.html",
        {"code": code, "missing": missing, "code_length": CODE_LENGTH},
        status=404 if missing else 200,
    )
    return _private(response)


def track(request):
    """The 'follow my message' box (footer, item pages): forwards to the status page; without
    a code it is a page with the box alone."""
    code = _clean_code(request.GET.get("code", ""))
    if code:
        return HttpResponseRedirect(reverse("feedback_status", args=[code]))
    return _track_page(request)


def csrf_failure(request, reason=""):
    """CSRF failure on a feedback form (say, from an item page served by a cache with an
    old token): show the form again with what the resident typed and a fresh token, instead
    of a bare 403 page. Every other CSRF failure gets Django's own answer."""
    from django.urls import Resolver404, resolve
    from django.views.csrf import csrf_failure as default_failure

    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.url_name == "follow" and request.method == "POST":
        from ..follow.views import csrf_failure as follow_failure

        return follow_failure(request, reason) or default_failure(request, reason)
    if match is None or match.url_name not in ("feedback_new", "feedback_rate"):
        return default_failure(request, reason)
    try:
        project, update = _target(match.kwargs["page_id"])
    except Http404:
        return default_failure(request, reason)
    notice = _(
        "For your security this form had expired. Your text is below: please check it and "
        "send it again (photos need to be chosen again)."
    )
    if match.url_name == "feedback_rate":
        form = RatingForm(request.POST)
        form.refresh_started()
        form.is_valid()
        context = {"item": project, "form": form, "notice": notice, "posted": True}
        template = "projects/feedback/rating_page.html"
    else:
        form = FeedbackForm(request.POST)
        form.refresh_started()
        form.is_valid()
        context = {
            "item": project,
            "target": update or project,
            "form": form,
            "notice": notice,
            "posted": True,
        }
        template = "projects/feedback/form_page.html"
    response = _render_form(request, template, context, status=403)
    response["Cache-Control"] = "no-store"
    return response


def _rate_limited(request, form, template, context):
    """The form again with "try again in N minutes" (429) when this address is over its limit."""
    verdict = throttle.hit(throttle.client_ip(request))
    if verdict.allowed:
        return None
    form.add_error(
        None,
        _(
            "You have sent several messages in a short time. Please try again in "
            "%(minutes)d minutes."
        )
        % {"minutes": verdict.retry_minutes},
    )
    return _render_form(request, template, context, status=429)
