"""The member's phone pages for exams and points: the exams open to me, an exam (start or go
on), the paper (answers saved on the server with each 保存, graded on 交卷) and its result,
and my points. A manager opening a member's attempt sees it read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.htmx import render
from dangjian.core.scope import get_visible
from dangjian.learning import exam_attempts, exam_selectors, exam_services, points
from dangjian.learning.models import Attempt, Exam, Question
from dangjian.learning.phone import _me, _me_or_back_office


@login_required
def my_exams(request):
    me, back = _me_or_back_office(request, "learning:exams")
    if back:
        return back
    return render(request, "learning/m_exams.html", {"rows": exam_selectors.exams_for_member(me)})


@login_required
def my_exam(request, exam_id: int):
    exam = get_visible(
        Exam.objects.filter(status=Exam.Status.PUBLISHED).select_related("org"),
        request.user,
        pk=exam_id,
    )
    me = _me(request)
    if request.method == "POST":
        if me is None:
            messages.error(request, "没有关联的党员档案，不能参加考试")
            return redirect("learning:my_exam", exam.pk)
        try:
            attempt = exam_attempts.attempt_start(actor=request.user, member=me, exam=exam)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("learning:my_exam", exam.pk)
        return redirect("learning:take", attempt.pk)
    attempts = list(exam_selectors.attempts_of(me, exam)) if me else []
    return render(
        request,
        "learning/m_exam.html",
        {
            "exam": exam,
            "attempts": attempts,
            "full_marks": exam_services.full_marks(exam),
            "passed": any(a.passed for a in attempts),
            "open": any(a.submitted_at is None for a in attempts),
            "left": max(0, exam.attempts - len(attempts)),
            "preview": me is None,
        },
    )


def _answers_from(request, attempt: Attempt) -> dict:
    """``q<id>`` fields of the form as the service's ``{"<id>": [values]}``."""
    out = {}
    for p in attempt.paper:
        key = f"q{p['question']}"
        values = [v for v in request.POST.getlist(key) if v.strip()]
        if key in request.POST or values:
            out[str(p["question"])] = values
    return out


@login_required
def take(request, attempt_id: int):
    attempt = get_visible(
        Attempt.objects.select_related("exam__org", "member"), request.user, pk=attempt_id
    )
    own = attempt.member_id == request.user.member_id
    if request.method == "POST":
        if not own:
            return redirect("learning:take", attempt.pk)
        answers = _answers_from(request, attempt)
        if request.headers.get("X-Autosave"):  # app.js, on each change: no page, no message
            try:
                exam_attempts.attempt_save(actor=request.user, attempt=attempt, answers=answers)
            except DomainError as exc:
                return HttpResponse(exc.message, status=exc.status)
            return HttpResponse(status=204)
        try:
            if "submit" in request.POST:
                attempt = exam_attempts.attempt_submit(
                    actor=request.user, attempt=attempt, answers=answers
                )
                messages.success(request, f"已交卷，得分 {attempt.score}")
            else:
                exam_attempts.attempt_save(actor=request.user, attempt=attempt, answers=answers)
                messages.success(request, "作答已保存")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("learning:take", attempt.pk)
    paper = exam_attempts.paper_out(attempt)
    for q in paper:
        q["given"] = attempt.answers.get(str(q["id"]), [])
        q["fill_in"] = q["kind"] == Question.Kind.FILL_IN
        q["multiple"] = q["kind"] == Question.Kind.MULTIPLE
    return render(
        request,
        "learning/m_take.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "paper": paper,
            "own": own,
            "editable": own and attempt.submitted_at is None,
            "now": timezone.now(),
        },
    )


@login_required
def my_points(request):
    me, back = _me_or_back_office(request, "learning:points")
    if back:
        return back
    year = timezone.localdate().year
    total, entries = points.member_points(me, year)
    return render(
        request,
        "learning/m_points.html",
        {"total": total, "entries": entries[:200], "year": year},
    )
