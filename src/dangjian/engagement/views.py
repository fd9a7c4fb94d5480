"""Staff pages (consultations to answer, topics, surveys with their results) and member
pages (ask, my questions, surveys to answer; phone shell). Thin: the gate, then a selector
or a service. Public pages: ``public.py``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.engagement import selectors, services
from dangjian.engagement.exports import SurveyResultsExporter
from dangjian.engagement.forms import (
    AskForm,
    ConsultationFilterForm,
    RatingForm,
    ReplyForm,
    SurveyFilterForm,
    SurveyForm,
    TokensForm,
    TopicForm,
    question_lines,
)
from dangjian.engagement.models import Consultation, Question, Survey, Topic
from dangjian.orgs.models import Org


def _filters(request, form_class):
    form = form_class(request.GET or None, user=request.user)
    return form, (form.cleaned_data if form.is_valid() else {})


# ---- consultations (staff) ---------------------------------------------------------------


@manager_required
def consultations(request):
    form, d = _filters(request, ConsultationFilterForm)
    qs = selectors.consultation_list(
        user=request.user,
        org=d.get("org"),
        status=d.get("status") or "",
        kind=d.get("kind") or "",
        q=d.get("q") or "",
        sort=d.get("sort") or "due",
    )
    return render(
        request,
        "engagement/consultations.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@login_required
def consultation(request, consultation_id: int):
    """A handler answers and publishes as FAQ; the asker (a member) reads and rates."""
    item = get_visible(
        Consultation.objects.select_related("org", "topic", "replied_by"),
        request.user,
        pk=consultation_id,
    )
    handler = reach_of(request.user).covers(item.org.path)
    is_asker = item.asker_id == request.user.pk
    reply = ReplyForm(request.POST if handler and "text" in request.POST else None)
    rating = RatingForm(request.POST if is_asker and "rating" in request.POST else None)
    try:
        if reply.is_bound and reply.is_valid():
            services.consultation_reply(
                actor=request.user, consultation=item, text=reply.cleaned_data["text"]
            )
            messages.success(request, "已答复，提问人可凭查询码或在“我的咨询”中查看")
            return redirect("engagement:consultation", item.pk)
        if rating.is_bound and rating.is_valid():
            services.consultation_rate(
                actor=request.user,
                consultation=item,
                rating=rating.cleaned_data["rating"],
                note=rating.cleaned_data["note"],
            )
            messages.success(request, "感谢您的评价")
            return redirect("engagement:consultation", item.pk)
    except DomainError as exc:
        add_domain_errors(reply if reply.is_bound else rating, exc)
    template = "engagement/consultation.html" if handler else "engagement/m_consultation.html"
    return render(
        request,
        template,
        {
            "item": item,
            "reply_form": reply,
            "rating_form": rating,
            "is_asker": is_asker,
            "late": item.status == Consultation.Status.OPEN and item.due_on < timezone.localdate(),
        },
    )


@manager_required
@require_POST
def consultation_faq(request, consultation_id: int):
    item = get_manageable(Consultation.objects, request.user, pk=consultation_id)
    publish = request.POST.get("publish") == "1"
    try:
        services.consultation_faq(actor=request.user, consultation=item, publish=publish)
        messages.success(request, "已公开为常见问题" if publish else "已撤回常见问题")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("engagement:consultation", item.pk)


@manager_required
def topics(request):
    form = TopicForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            org = get_manageable(Org.objects, request.user, pk=d["org"].pk)
            services.topic_create(actor=request.user, org=org, name=d["name"])
            messages.success(request, f"已新增咨询事项“{d['name']}”")
            return redirect("engagement:topics")
        except DomainError as exc:
            add_domain_errors(form, exc)
    rows = Topic.objects.manageable_by(request.user).select_related("org").order_by("name")
    return render(
        request, "engagement/topics.html", {"form": form, "page": paginate(request, rows)}
    )


# ---- surveys (staff) ---------------------------------------------------------------------


@manager_required
def surveys(request):
    form, d = _filters(request, SurveyFilterForm)
    qs = selectors.survey_list(
        user=request.user,
        org=d.get("org"),
        status=d.get("status") or "",
        q=d.get("q") or "",
        sort=d.get("sort") or "new",
    )
    return render(
        request,
        "engagement/surveys.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


# What the survey form hands to survey_create and survey_update, besides the org.
SURVEY_FIELDS = (
    "title",
    "intro",
    "audience",
    "anonymous",
    "satisfaction",
    "opens_on",
    "closes_on",
    "questions",
)


@manager_required
def survey_new(request):
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                org=get_manageable(Org.objects, request.user, pk=d["org"].pk),
                **{k: d[k] for k in SURVEY_FIELDS},
            )
            messages.success(request, "调查已保存为草稿，检查题目后发布")
            return redirect("engagement:survey", survey.pk)
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: f.split(".")[0])
    return render(request, "engagement/survey_form.html", {"form": form})


@manager_required
def survey_edit(request, survey_id: int):
    s = _survey(request, survey_id)
    if s.status != Survey.Status.DRAFT:
        messages.error(request, "调查已发布，题目和设置不能再修改")
        return redirect("engagement:survey", s.pk)
    initial = {k: getattr(s, k) for k in SURVEY_FIELDS if k != "questions"}
    initial |= {"org": s.org_id, "questions": question_lines(s.questions.all())}
    form = SurveyForm(request.POST or None, initial=initial, user=request.user)
    form.fields["org"].disabled = True  # the survey stays with the org that started it
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_update(actor=request.user, survey=s, **{k: d[k] for k in SURVEY_FIELDS})
            messages.success(request, "草稿已修改")
            return redirect("engagement:survey", s.pk)
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: f.split(".")[0])
    return render(request, "engagement/survey_form.html", {"form": form, "survey": s})


def _survey(request, survey_id: int) -> Survey:
    return get_manageable(
        Survey.objects.select_related("org").prefetch_related("questions"),
        request.user,
        pk=survey_id,
    )


@manager_required
def survey(request, survey_id: int):
    s = _survey(request, survey_id)
    results = _for_display(services.survey_results(s))
    keys = ("kind", "text", "options", "rows", "counts")
    charts = [
        {"id": f"chart-{q['number']}", "data": {k: q[k] for k in keys}}
        for q in results["questions"]
        if q["kind"] != "text"
    ]
    return render(
        request,
        "engagement/survey.html",
        {
            "survey": s,
            "results": results,
            "charts": charts,
            "tokens_form": TokensForm(),
            "tokens": request.session.pop(f"survey-tokens-{s.pk}", None),
        },
    )


def _for_display(results: dict) -> dict:
    """Labels, shares and matrix rows for the results page (numbers beside each chart)."""
    labels = dict(Question.Kind.choices)
    for q in results["questions"]:
        q["kind_label"] = labels.get(q["kind"], "")
        if q["kind"] == Question.Kind.MATRIX:
            q["matrix"] = [
                {"row": r, "counts": c} for r, c in zip(q["rows"], q["counts"], strict=False)
            ]
        elif q["kind"] != Question.Kind.TEXT:
            total = q["answered"]
            q["rows_out"] = [
                {"label": o, "n": n, "share": Decimal(n) / total if total else None}
                for o, n in zip(q["options"], q["counts"], strict=False)
            ]
    return results


@manager_required
@require_POST
def survey_open(request, survey_id: int):
    return _survey_state(request, survey_id, "open")


@manager_required
@require_POST
def survey_close(request, survey_id: int):
    return _survey_state(request, survey_id, "close")


def _survey_state(request, survey_id: int, action: str):
    s = _survey(request, survey_id)
    try:
        if action == "open":
            services.survey_open(actor=request.user, survey=s)
            messages.success(request, "调查已发布")
        else:
            services.survey_close(actor=request.user, survey=s)
            messages.success(request, "调查已结束")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("engagement:survey", s.pk)


@manager_required
@require_POST
def survey_tokens(request, survey_id: int):
    s = _survey(request, survey_id)
    form = TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, "口令数量应为1至2000")
        return redirect("engagement:survey", s.pk)
    try:
        tokens = services.survey_tokens_issue(
            actor=request.user, survey=s, count=form.cleaned_data["count"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("engagement:survey", s.pk)
    # Shown once on the next page (only the digests are kept).
    request.session[f"survey-tokens-{s.pk}"] = tokens
    messages.success(
        request, f"已生成 {len(tokens)} 个一次性口令，请复制答卷链接分发（只显示这一次）"
    )
    return redirect("engagement:survey", s.pk)


@manager_required
def survey_export(request, survey_id: int):
    s = _survey(request, survey_id)
    exporter = SurveyResultsExporter(services.survey_results(s))
    return exporter.response(f"{s.title}-结果")


# ---- member pages (phone shell) ----------------------------------------------------------


@login_required
def mine(request):
    """Ask a question, see my questions and the surveys open to me."""
    member = getattr(request.user, "member", None)
    form = AskForm(request.POST or None, member_org=getattr(member, "org", None))
    form.fields.pop("contact", None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.consultation_ask(
                actor=request.user,
                org=d.get("org"),
                topic=d.get("topic"),
                kind=d["kind"],
                question=d["question"],
                faq_consent=d["faq_consent"],
            )
            messages.success(request, f"已提交，查询码 {item.code}，答复后会通知您")
            return redirect("engagement:consultation", item.pk)
        except DomainError as exc:
            add_domain_errors(form, exc)
    return render(
        request,
        "engagement/m_mine.html",
        {
            "form": form,
            "asked": selectors.my_consultations(request.user)[:30],
            "surveys": selectors.surveys_for_member(request.user),
        },
    )


@login_required
def survey_answer(request, survey_id: int):
    s = get_visible(
        Survey.objects.select_related("org").prefetch_related("questions"),
        request.user,
        pk=survey_id,
    )
    error = ""
    if request.method == "POST":
        try:
            answers = answers_from_post(s, request.POST)
            services.survey_respond(actor=request.user, survey=s, answers=answers)
            messages.success(request, "已提交，感谢参与")
            return redirect("engagement:mine")
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "engagement/m_survey.html",
        {"survey": s, "questions": s.questions.all(), "error": error, "posted": request.POST},
    )


def answers_from_post(survey: Survey, post) -> list:
    """The form's fields (``q1``, ``q2`` …, ``q5_0`` for matrix rows) as the answer lists
    ``survey_respond`` checks."""
    out = []
    for q in survey.questions.all():
        name = f"q{q.number}"
        if q.kind == "text":
            text = post.get(name, "").strip()
            out.append([text] if text else [])
        elif q.kind == "multiple":
            out.append([_int(v) for v in post.getlist(name)])
        elif q.kind == "matrix":
            values = [post.get(f"{name}_{r}", "") for r in range(len(q.rows))]
            out.append([] if not any(values) else [_int(v) for v in values])
        else:
            value = post.get(name, "")
            out.append([_int(value)] if value != "" else [])
    return out


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # refused by the service as an unknown option
