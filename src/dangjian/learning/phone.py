"""The member's phone pages: my courses, a course's lessons, studying a lesson (the player
reports to the API; the server measures), and my study hours against the requirement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from dangjian.core.htmx import render
from dangjian.core.scope import get_visible, reach_of
from dangjian.learning import selectors
from dangjian.learning.models import Course, Lesson, LessonProgress
from dangjian.learning.policy import study_policy
from dangjian.learning.progress import percent_done
from dangjian.members.models import Member


def _me(request) -> Member | None:
    """The user's member record; None for an account without one (a manager previews)."""
    if not request.user.member_id:
        return None
    return Member.objects.select_related("org").get(pk=request.user.member_id)


def _me_or_back_office(request, page: str):
    me = _me(request)
    if me is None:
        if reach_of(request.user).is_manager:
            return None, redirect(page)
        raise Http404("没有关联的党员档案")
    return me, None


def _published(request, model, **lookup):
    """A published course or lesson addressed to the member (404 otherwise, also a draft
    that a manager could see in the back office)."""
    prefix = "course__" if model is Lesson else ""
    qs = model.objects.filter(**{f"{prefix}status": Course.Status.PUBLISHED})
    return get_visible(qs, request.user, **lookup)


@login_required
def my_courses(request):
    me, back = _me_or_back_office(request, "learning:courses")
    if back:
        return back
    year = timezone.localdate().year
    return render(
        request,
        "learning/m_courses.html",
        {"courses": selectors.courses_for_member(me, year), "year": year},
    )


@login_required
def my_course(request, course_id: int):
    me = _me(request)
    course = _published(request, Course, pk=course_id)
    lessons = list(selectors.lessons_of(course))
    progress = selectors.lesson_progress(me, lessons) if me else {}
    policy = study_policy()
    rows = [
        (
            lesson,
            percent_done(lesson, progress[lesson.pk], policy) if lesson.pk in progress else 0,
        )
        for lesson in lessons
    ]
    return render(request, "learning/m_course.html", {"course": course, "rows": rows})


@login_required
def study(request, lesson_id: int):
    me = _me(request)
    lesson = _published(request, Lesson, pk=lesson_id)
    progress = LessonProgress.objects.filter(member=me, lesson=lesson).first() if me else None
    policy = study_policy()
    return render(
        request,
        "learning/m_study.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "percent": percent_done(lesson, progress, policy) if progress else 0,
            "policy": policy,
            "preview": me is None,
        },
    )


@login_required
def my_hours(request):
    me, back = _me_or_back_office(request, "learning:hours")
    if back:
        return back
    year = timezone.localdate().year
    return render(
        request,
        "learning/m_hours.html",
        {
            "h": selectors.member_hours(me, year),
            "credits": selectors.credits_of(me, year)[:50],
            "year": year,
        },
    )
