"""Staff pages of 党建+业务: the initiative board by phase, an initiative with its timeline,
tasks (list and detail), the key points with their decomposition and the branches' feedback,
posts, zones and pledges. Member pages: ``phone``. Thin: the gate, then a selector or a
service."""

from __future__ import annotations

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
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Org
from dangjian.work import selectors, services
from dangjian.work.forms import (
    AdvanceForm,
    CompleteForm,
    FeedbackForm,
    FilterForm,
    FulfilForm,
    InitiativeForm,
    PlanForm,
    PledgeForm,
    PostForm,
    ProgressForm,
    TaskFilterForm,
    TaskForm,
)
from dangjian.work.models import Initiative, Phase, PlanItem, Pledge, Task, WorkPlan

BOARD_PAGE = 60


def _filters(request, form_class=FilterForm):
    form = form_class(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


@manager_required
def initiatives(request):
    form, d = _filters(request)
    qs = selectors.initiative_list(
        request.user, q=d.get("q") or "", year=d.get("year"), org=d.get("org")
    )
    page = paginate(request, qs, BOARD_PAGE)
    return render(
        request,
        "work/initiatives.html",
        {
            "form": form,
            "page": page,
            "columns": selectors.board(page, selectors.phase_counts(qs)),
            "query": query_without_page(request),
        },
    )


@manager_required
def initiative_new(request):
    form = InitiativeForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            initiative = services.initiative_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                unit=d["unit"],
                year=d["year"],
                goal=d["goal"],
                indicators=form.indicators(),
                members=list(d["members"]),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "融合项目已建立，处于“谋划”阶段")
            return redirect("work:initiative", initiative.pk)
    return render(request, "work/initiative_form.html", {"form": form})


def _review_meetings(initiative: Initiative, user):
    if initiative.phase != Phase.REVIEW:
        return Meeting.objects.none()
    return (
        Meeting.objects.manageable_by(user)
        .in_subtree(initiative.org)
        .filter(status=Meeting.Status.HELD, held_at__year__gte=initiative.year)
        .order_by("-held_at")
    )


@login_required
def initiative(request, initiative_id: int):
    initiative = get_visible(
        Initiative.objects.select_related("org", "review_meeting"), request.user, pk=initiative_id
    )
    manager = Initiative.objects.manageable_by(request.user).filter(pk=initiative.pk).exists()
    advance = task_form = None
    if manager and initiative.next_phase:
        advance = AdvanceForm(
            initial={"to": initiative.next_phase},
            initiative=initiative,
            meetings=_review_meetings(initiative, request.user),
        )
        if initiative.phase != Phase.DONE:
            task_form = TaskForm(user=request.user, top=initiative.org)
    ctx = {
        "initiative": initiative,
        "manager": manager,
        "advance": advance,
        "gaps": services.phase_gaps(initiative) if manager else [],
        "task_form": task_form,
        "phases": [(p.value, p.label) for p in Phase],
        **selectors.initiative_detail(initiative),
    }
    return render(request, "work/initiative.html", ctx)


@manager_required
@require_POST
def initiative_advance(request, initiative_id: int):
    initiative = get_manageable(
        Initiative.objects.select_related("org"), request.user, pk=initiative_id
    )
    form = AdvanceForm(
        request.POST,
        initiative=initiative,
        meetings=_review_meetings(initiative, request.user),
    )
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("work:initiative", initiative.pk)
    d = form.cleaned_data
    try:
        services.initiative_advance(
            actor=request.user,
            initiative=initiative,
            to=d["to"],
            progress=d.get("progress") or "",
            review=d.get("review") or "",
            review_meeting=d.get("review_meeting"),
            actuals=form.actuals(),
            note=d.get("note") or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        initiative.refresh_from_db()
        messages.success(request, f"项目已进入“{initiative.get_phase_display()}”阶段")
    return redirect("work:initiative", initiative.pk)


@manager_required
@require_POST
def initiative_task(request, initiative_id: int):
    initiative = get_manageable(
        Initiative.objects.select_related("org"), request.user, pk=initiative_id
    )
    form = TaskForm(request.POST, user=request.user, top=initiative.org)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.task_assign(
                actor=request.user,
                initiative=initiative,
                title=d["title"],
                due=d["due"],
                org=d.get("org"),
                member=d.get("member"),
                done_definition=d.get("done_definition") or "",
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "任务已交办，承办方已收到通知")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("work:initiative", initiative.pk)


@manager_required
@require_POST
def initiative_attach(request, initiative_id: int):
    initiative = get_manageable(
        Initiative.objects.select_related("org"), request.user, pk=initiative_id
    )
    try:
        services.initiative_attach(
            actor=request.user, initiative=initiative, upload=request.FILES.get("file")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "附件已上传")
    return redirect("work:initiative", initiative.pk)


@login_required
def attachment(request, initiative_id: int, initiative_attachment_id: int):
    from django.http import FileResponse, Http404

    initiative = get_visible(Initiative.objects.all(), request.user, pk=initiative_id)
    att = initiative.attachments.filter(pk=initiative_attachment_id).first()
    if att is None:
        raise Http404("对象不存在或无权访问")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


# --- tasks ----------------------------------------------------------------------------


@manager_required
def tasks(request):
    form, d = _filters(request, TaskFilterForm)
    qs = selectors.task_list(
        request.user,
        today=timezone.localdate(),
        org=d.get("org"),
        status=d.get("status") or "",
        q=d.get("q") or "",
    )
    if d.get("year"):
        qs = qs.filter(due__year=d["year"])
    return render(
        request,
        "work/tasks.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


def _task_page(request, task_id: int, template: str, back: str):
    task = get_visible(
        Task.objects.select_related("org", "member", "initiative", "plan_item", "assigner_org"),
        request.user,
        pk=task_id,
    )
    progress = ProgressForm(request.POST if "percent" in request.POST else None)
    complete = CompleteForm(request.POST if "outcome" in request.POST else None)
    if request.method == "POST":
        form = progress if "percent" in request.POST else complete
        if form.is_valid():
            try:
                if form is progress:
                    services.task_progress(actor=request.user, task=task, **form.cleaned_data)
                    messages.success(request, "进展已报告")
                else:
                    services.task_complete(actor=request.user, task=task, **form.cleaned_data)
                    messages.success(request, "任务已办结")
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                return redirect(back, task.pk)
    return render(
        request,
        template,
        {
            "task": task,
            "notes": list(task.notes.all()[:30]),
            "progress": progress,
            "complete": complete,
        },
    )


@login_required
def task(request, task_id: int):
    """Opened from a notice: the staff page for managers, the phone page for members."""
    if reach_of(request.user).is_manager:
        return _task_page(request, task_id, "work/task.html", "work:task")
    return _task_page(request, task_id, "work/m_task.html", "work:my_task")


# --- the key points ------------------------------------------------------------------


@manager_required
def plans(request):
    form, d = _filters(request)
    qs = selectors.plan_list(request.user, year=d.get("year"), q=d.get("q") or "")
    return render(
        request,
        "work/plans.html",
        {"form": form, "page": paginate(request, qs), "query": query_without_page(request)},
    )


@manager_required
def plan_new(request):
    form = PlanForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                year=d["year"],
                title=d["title"],
                items=d["items"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "党建工作要点已拟定（草稿），发布后分解到各支部")
            return redirect("work:plan", plan.pk)
    return render(request, "work/plan_form.html", {"form": form})


def _plan(request, plan_id: int) -> WorkPlan:
    from django.http import Http404

    plan = selectors.plan_for(request.user, plan_id)
    if plan is None:
        raise Http404("对象不存在或无权访问")
    return plan


@manager_required
def plan(request, plan_id: int):
    plan = _plan(request, plan_id)
    today = timezone.localdate()
    branches = paginate(request, selectors.plan_branches(plan, request.user), 30)
    items = list(plan.items.all())
    return render(
        request,
        "work/plan.html",
        {
            "plan": plan,
            "can_publish": plan.status == WorkPlan.Status.DRAFT
            and WorkPlan.objects.manageable_by(request.user).filter(pk=plan.pk).exists(),
            "summary": selectors.plan_summary(plan, today=today, user=request.user),
            "items": items,
            "page": branches,
            "rows": selectors.decomposition(plan, request.user, list(branches), items),
            "query": query_without_page(request),
        },
    )


@manager_required
@require_POST
def plan_publish(request, plan_id: int):
    plan = get_manageable(WorkPlan.objects.all(), request.user, pk=plan_id)
    try:
        n = services.plan_publish(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发布，分解任务 {n} 项到各党支部")
    return redirect("work:plan", plan.pk)


@manager_required
def feedback(request, item_id: int, org_id: int):
    item = PlanItem.objects.select_related("plan__org").filter(pk=item_id).first()
    plan = _plan(request, item.plan_id if item else 0)
    branch = get_manageable(Org.objects.all(), request.user, pk=org_id)
    facts = selectors.feedback_facts(item, branch, today=timezone.localdate())
    existing = item.feedback.filter(org=branch).first()
    form = FeedbackForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_file(
                actor=request.user,
                item=item,
                org=branch,
                text=form.cleaned_data["text"],
                facts=facts,
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "反馈已保存（每个支部每条要点一份，再次填报即修改）")
            return redirect("work:plan", plan.pk)
    return render(
        request,
        "work/feedback.html",
        {
            "plan": plan,
            "item": item,
            "branch": branch,
            "facts": selectors.fact_rows(facts),
            "existing": existing,
            "form": form,
        },
    )


# --- posts and pledges ---------------------------------------------------------------


@manager_required
def posts(request):
    form, d = _filters(request)
    year = d.get("year") or timezone.localdate().year
    org, q = d.get("org"), d.get("q") or ""
    pledges = selectors.pledge_list(request.user, year=year, org=org, q=q)
    return render(
        request,
        "work/posts.html",
        {
            "form": form,
            "year": year,
            "posts": selectors.posts_of(request.user, org=org, q=q),
            "page": paginate(request, pledges),
            "missing": selectors.members_without_pledge(request.user, year=year, org=org)[:50],
            "query": query_without_page(request),
        },
    )


@manager_required
def post_new(request):
    form = PostForm(
        request.POST or None, user=request.user, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.post_create(
                actor=request.user,
                kind=d["kind"],
                org=get_manageable(Org.objects.all(), request.user, pk=d["org"].pk),
                title=d["title"],
                holders=list(d["holders"]),
                started_on=d["started_on"],
                ended_on=d.get("ended_on"),
                duties=d.get("duties") or "",
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已设立")
            return redirect("work:posts")
    return render(request, "work/post_form.html", {"form": form, "title": "设岗定责"})


@manager_required
def pledge_new(request):
    year = timezone.localdate().year
    form = PledgeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_make(
                actor=request.user,
                member=form.cleaned_data["member"],
                year=year,
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "承诺已登记")
            return redirect("work:posts")
    return render(request, "work/post_form.html", {"form": form, "title": f"登记{year}年承诺"})


@manager_required
def pledge_fulfil(request, pledge_id: int):
    pledge = get_manageable(
        Pledge.objects.select_related("member__org"), request.user, pk=pledge_id
    )
    form = FulfilForm(
        request.POST or None, initial={"result": pledge.result, "rating": pledge.rating or "good"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_fulfil(actor=request.user, pledge=pledge, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "践诺情况已评定")
            return redirect("work:posts")
    return render(request, "work/pledge_fulfil.html", {"pledge": pledge, "form": form})
