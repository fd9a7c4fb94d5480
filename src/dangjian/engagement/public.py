"""Public pages (no login, rate-limited): ask a question, follow it by its tracking code and
rate the answer, read the FAQ, answer a public survey with a one-time token. Nothing
personal is shown: a tracked question shows its text and answer, never its contact."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.ratelimit import rate_limited
from dangjian.engagement import selectors, services
from dangjian.engagement.forms import AskForm, RatingForm, TrackForm
from dangjian.engagement.models import Survey
from dangjian.engagement.views import answers_from_post

READS = settings.PUBLIC_READS_PER_MINUTE
WRITES = settings.PUBLIC_WRITES_PER_MINUTE
SESSION_CODE = "engagement-code"


def _limited(read_scope: str, write_scope: str):
    """Reads and writes of one page counted apart: a GET is a read, a POST a write."""

    def decorate(view):
        read = rate_limited(read_scope, per_minute=READS)(view)
        write = rate_limited(write_scope, per_minute=WRITES)(view)

        def wrapped(request, *args, **kwargs):
            target = write if request.method == "POST" else read
            return target(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


@require_http_methods(["GET", "POST"])
@_limited("engagement-ask-page", "engagement-ask")
def ask(request):
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.consultation_ask(
                actor=None,
                org=d.get("org"),
                topic=d.get("topic"),
                kind=d["kind"],
                question=d["question"],
                contact=d["contact"],
                faq_consent=d["faq_consent"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # The code is shown once on the tracking page; it is not put in the URL.
            request.session[SESSION_CODE] = item.code
            return redirect("engagement_public:track")
    return render(request, "engagement/public_ask.html", {"form": form})


@require_http_methods(["GET", "POST"])
@_limited("engagement-track-page", "engagement-track")
def track(request):
    """Look a question up by its code (posted, so it stays out of URLs and logs); the asker
    rates the answer on the same page."""
    fresh = request.session.pop(SESSION_CODE, None)
    code = fresh or request.POST.get("code", "")
    form = TrackForm(request.POST if "code" in request.POST else None, initial={"code": code})
    item = selectors.by_code(code) if code else None
    if code and item is None and not fresh:
        form.add_error("code", "查询码不存在，请核对后再试")
    rating = RatingForm(request.POST if item and "rating" in request.POST else None)
    if rating.is_bound and rating.is_valid():
        try:
            services.consultation_rate(
                actor=None,
                consultation=item,
                rating=rating.cleaned_data["rating"],
                note=rating.cleaned_data["note"],
            )
            item = selectors.by_code(code)
            messages.success(request, "感谢您的评价")
        except DomainError as exc:
            add_domain_errors(rating, exc)
    return render(
        request,
        "engagement/public_track.html",
        {"form": form, "item": item, "fresh": bool(fresh), "rating_form": rating, "code": code},
    )


@rate_limited("engagement-faq-page", per_minute=READS)
def faq(request):
    q = request.GET.get("q", "")[:100]
    page = paginate(request, selectors.faq_list(q=q), 20)
    return render(
        request,
        "engagement/public_faq.html",
        {"page": page, "q": q, "query": query_without_page(request)},
    )


@require_http_methods(["GET", "POST"])
@_limited("engagement-survey-page", "engagement-answer")
def survey(request, public_survey_id: int):
    s = (
        Survey.objects.filter(pk=public_survey_id, audience=Survey.Audience.PUBLIC)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("org")
        .prefetch_related("questions")
        .first()
    )
    if s is None:
        raise Http404("调查不存在或未公开")
    token = request.POST.get("token") or request.GET.get("t", "")
    error = ""
    if request.method == "POST":
        try:
            services.survey_respond(
                actor=None, survey=s, answers=answers_from_post(s, request.POST), token=token
            )
            messages.success(request, "已提交，感谢参与")
            return redirect(reverse("engagement_public:survey", args=[s.pk]) + "?done=1")
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "engagement/public_survey.html",
        {
            "survey": s,
            "questions": s.questions.all(),
            "token": token[:100],
            "error": error,
            "posted": request.POST,
            "done": request.GET.get("done") == "1",
        },
    )
