"""Staff pages of exams and points: question banks (search, pagination, add questions), exams
(list, new, the paper with its questions or random rules, publish), an exam's results as
rates per org, and points summed per org. Member pages: ``exam_phone``. Thin: the gate,
then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, org_tree
from dangjian.learning import exam_selectors, exam_services, points
from dangjian.learning.exam_forms import (
    BankForm,
    ExamEditForm,
    ExamForm,
    ExamRuleForm,
    ListFilterForm,
    QuestionFilterForm,
    QuestionForm,
)
from dangjian.learning.models import Exam, QuestionBank
from dangjian.learning.views import _year
from dangjian.orgs.models import Org


@manager_required
def banks(request):
    filters = ListFilterForm(request.GET or None)
    q = filters.cleaned_data.get("q", "") if filters.is_valid() else ""
    form = BankForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            bank = exam_services.bank_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                summary=d["summary"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "题库已建立，请添加试题")
            return redirect("learning:bank", bank.pk)
    qs = exam_selectors.banks_for_staff(request.user, q=q)
    return render(
        request,
        "learning/banks.html",
        {
            "filters": filters,
            "form": form,
            "page": paginate(request, qs),
            "query": query_without_page(request),
        },
    )


@manager_required
def bank(request, bank_id: int):
    bank = get_manageable(QuestionBank.objects.select_related("org"), request.user, pk=bank_id)
    filters = QuestionFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    form = QuestionForm(request.POST or None)
    del form.fields["score"]
    if request.method == "POST" and form.is_valid():
        try:
            exam_services.question_add(actor=request.user, bank=bank, **form.spec())
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "试题已添加")
            return redirect("learning:bank", bank.pk)
    qs = exam_selectors.questions_of(bank, q=f.get("q") or "", kind=f.get("kind") or "")
    return render(
        request,
        "learning/bank.html",
        {
            "bank": bank,
            "filters": filters,
            "form": form,
            "page": paginate(request, qs),
            "query": query_without_page(request),
        },
    )


@manager_required
def exams(request):
    filters = ListFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = exam_selectors.exams_for_staff(
        request.user, q=f.get("q") or "", status=f.get("status") or ""
    )
    return render(
        request,
        "learning/exams.html",
        {"filters": filters, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def exam_new(request):
    form = ExamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            exam = exam_services.exam_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                mode=d["mode"],
                bank=d["bank"],
                pass_score=d["pass_score"],
                attempts=d["attempts"],
                time_limit_min=d["time_limit_min"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                course=d["course"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "考试已建立（草稿），请添加试题或抽题规则")
            return redirect("learning:exam", exam.pk)
    return render(request, "learning/exam_form.html", {"form": form})


def _exam(request, exam_id: int) -> Exam:
    return get_manageable(
        Exam.objects.select_related("org", "bank", "course"), request.user, pk=exam_id
    )


@manager_required
def exam(request, exam_id: int):
    exam = _exam(request, exam_id)
    random = exam.mode == Exam.Mode.RANDOM
    form = (ExamRuleForm if random else QuestionForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if random:
                exam_services.exam_rule_add(actor=request.user, exam=exam, **form.cleaned_data)
            else:
                exam_services.exam_question_add(
                    actor=request.user, exam=exam, score=form.cleaned_data["score"], **form.spec()
                )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已加入试卷")
            return redirect("learning:exam", exam.pk)
    items = exam.items.select_related("question").order_by("position", "id")
    return render(
        request,
        "learning/exam.html",
        {
            "exam": exam,
            "items": items,
            "rules": exam.rules.all(),
            "full_marks": exam_services.full_marks(exam),
            "form": form if exam.status == Exam.Status.DRAFT else None,
        },
    )


@manager_required
def exam_edit(request, exam_id: int):
    exam = _exam(request, exam_id)
    if exam.status != Exam.Status.DRAFT:
        messages.error(request, "考试已发布，不能再修改")
        return redirect("learning:exam", exam.pk)
    form = ExamEditForm(
        request.POST or None, user=request.user, initial=ExamEditForm.initial_of(exam)
    )
    if request.method == "POST" and form.is_valid():
        try:
            exam_services.exam_update(actor=request.user, exam=exam, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "考试设置已保存")
            return redirect("learning:exam", exam.pk)
    return render(request, "learning/exam_form.html", {"form": form, "exam": exam})


@manager_required
@require_POST
def exam_paper_remove(request, exam_id: int):
    exam = _exam(request, exam_id)
    item, rule = request.POST.get("item", ""), request.POST.get("rule", "")
    try:
        if not (item.isdigit() or rule.isdigit()):
            raise DomainError("请选择要移除的试题或抽题规则")
        exam_services.exam_paper_remove(
            actor=request.user,
            exam=exam,
            item_id=int(item) if item.isdigit() else None,
            rule_id=int(rule) if rule.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已从试卷移除")
    return redirect("learning:exam", exam.pk)


@manager_required
@require_POST
def exam_publish(request, exam_id: int):
    exam = _exam(request, exam_id)
    try:
        exam_services.exam_publish(actor=request.user, exam=exam)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "考试已发布，面向组织的党员即可参加")
    return redirect("learning:exam", exam.pk)


@manager_required
def exam_results(request, exam_id: int):
    """Rates per org (took the exam, passed): where to follow up, not who scored best."""
    exam = _exam(request, exam_id)
    rows = exam_selectors.exam_results(exam, request.user)
    members = sum(r.members for r in rows)
    return render(
        request,
        "learning/exam_results.html",
        {
            "exam": exam,
            "rows": rows,
            "members": members,
            "taken": sum(r.taken for r in rows),
            "passed": sum(r.passed for r in rows),
        },
    )


@manager_required
def org_points(request):
    """Points summed per org (the org chosen and the orgs under it): no names, no ranking."""
    orgs = org_tree().choices(request.user)
    org_id = request.GET.get("org")
    org = get_manageable(orgs, request.user, pk=org_id) if org_id else orgs.order_by("path").first()
    year = _year(request)
    rows = points.org_points(exam_selectors.org_and_children(org), year) if org else []
    return render(
        request,
        "learning/points.html",
        {
            "org": org,
            "orgs": orgs,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "rows": rows,
        },
    )
