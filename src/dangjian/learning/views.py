"""Staff pages of learning: the course list (search, pagination), a course with its
lessons (create, edit, upload media, publish), the study-hour summary of an org with EDU-6
exemptions, and a lesson's file (range requests). Member pages: ``phone``. Thin: the gate,
then a selector or a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible, org_tree
from dangjian.learning import selectors, services
from dangjian.learning.forms import CourseFilterForm, CourseForm, ExemptionForm, LessonForm
from dangjian.learning.media import ranged_file
from dangjian.learning.models import Course, Lesson
from dangjian.learning.policy import requirement
from dangjian.members.models import Member
from dangjian.orgs.models import Org

EXEMPTION_FORM_MAX = 300  # members listed in the exemption form's choice


@manager_required
def courses(request):
    form = CourseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.courses_for_staff(
        request.user,
        q=data.get("q") or "",
        year=data.get("year"),
        status=data.get("status") or "",
    )
    return render(
        request,
        "learning/courses.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def course_new(request):
    form = CourseForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                year=d["year"],
                required=d["required"],
                summary=d["summary"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "课程已建立（草稿），请添加课时")
            return redirect("learning:course", course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": None})


@manager_required
def course_edit(request, course_id: int):
    course = get_manageable(Course.objects.select_related("org"), request.user, pk=course_id)
    initial = {k: getattr(course, k) for k in ("title", "year", "required", "summary")}
    form = CourseForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "课程已保存")
            return redirect("learning:course", course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": course})


@manager_required
def course(request, course_id: int):
    course = get_manageable(
        Course.objects.select_related("org", "reviewer"), request.user, pk=course_id
    )
    form = LessonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_add(actor=request.user, course=course, **_lesson_data(form))
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: "media" if f == "file" else f)
        else:
            messages.success(request, "课时已添加")
            return redirect("learning:course", course.pk)
    return render(
        request,
        "learning/course.html",
        {"course": course, "lessons": selectors.lessons_of(course), "form": form},
    )


def _lesson_data(form) -> dict:
    d = form.cleaned_data
    return {
        "title": d["title"],
        "kind": d["kind"],
        "duration_s": d.get("duration_s") or 0,
        "body": d.get("body") or "",
        "media": d.get("media"),
    }


def _lesson(request, lesson_id: int) -> Lesson:
    qs = Lesson.objects.select_related("course__org")
    return get_manageable(qs, request.user, pk=lesson_id)


@manager_required
def lesson_edit(request, lesson_id: int):
    lesson = get_manageable(
        Lesson.objects.select_related("course__org"), request.user, pk=lesson_id
    )
    initial = {k: getattr(lesson, k) for k in ("title", "kind", "duration_s", "body")}
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _lesson_data(form)
        if data["media"] is None and lesson.media:
            data.pop("media")  # keep the file already uploaded
        try:
            services.lesson_update(actor=request.user, lesson=lesson, **data)
        except DomainError as exc:
            add_domain_errors(form, exc, field_map=lambda f: "media" if f == "file" else f)
        else:
            messages.success(request, "课时已保存")
            return redirect("learning:course", lesson.course_id)
    return render(request, "learning/lesson_form.html", {"form": form, "lesson": lesson})


@manager_required
@require_POST
def lesson_delete(request, lesson_id: int):
    lesson = get_manageable(
        Lesson.objects.select_related("course__org"), request.user, pk=lesson_id
    )
    try:
        services.lesson_delete(actor=request.user, lesson=lesson)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "课时已删除")
    return redirect("learning:course", lesson.course_id)


@manager_required
@require_POST
def course_publish(request, course_id: int):
    course = get_manageable(Course.objects.all(), request.user, pk=course_id)
    try:
        services.course_publish(actor=request.user, course=course)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "课程已发布，面向组织的党员即可学习")
    return redirect("learning:course", course.pk)


@login_required
def media(request, lesson_id: int):
    lesson = get_visible(Lesson.objects.all(), request.user, pk=lesson_id)
    if not lesson.media:
        raise Http404("该课时没有媒体文件")
    return ranged_file(request, lesson.media, lesson.media_type)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@manager_required
def hours(request):
    """The org's members with their hours against the requirement, in the order of the
    rolls; who is short needs a study plan. No ranking."""
    orgs = org_tree().choices(request.user)
    org_id = request.GET.get("org") or request.POST.get("org")
    org = get_manageable(orgs, request.user, pk=org_id) if org_id else orgs.first()
    year = _year(request)
    members = Member.objects.on_rolls().party_members().in_subtree(org)
    form = ExemptionForm(request.POST or None, members=members.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_record(
                actor=request.user,
                member=form.cleaned_data["member"],
                year=year,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已登记豁免")
            return redirect(f"{request.path}?org={org.pk}&year={year}")
    rows = selectors.org_hours(org, year)
    page = paginate(request, rows)
    short = sum(1 for r in rows if not r.met)
    if len(rows) > EXEMPTION_FORM_MAX:  # pick a smaller org to record an exemption
        form = None
    return render(
        request,
        "learning/hours.html",
        {
            "org": org,
            "orgs": orgs,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "page": page,
            "query": query_without_page(request),
            "short": short,
            "total": len(rows),
            "form": form,
            "req": requirement(year),
        },
    )
