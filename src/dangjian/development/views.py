"""Pages of the procedures: case lists with deadlines, the timeline, step forms, materials,
batch lists with Excel export. Thin: every change goes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable, get_visible
from dangjian.core.uploads import accept
from dangjian.development import selectors, services
from dangjian.development.dates import month_of, quarter_of
from dangjian.development.exports import eligible_export
from dangjian.development.forms import (
    CaseOpenForm,
    ElectionOpenForm,
    EligibleForm,
    ExtendForm,
    MaterialForm,
    ReasonForm,
    ReviewForm,
    StepForm,
    TransferForm,
)
from dangjian.development.models import Case, Material, Procedure, ProcedureStep
from dangjian.development.services import DETAIL_URL, OTHER_MATERIAL
from dangjian.development.steps import TransferStep
from dangjian.orgs.models import Org

DEV, TRF, ELE = Procedure.Code.DEVELOPMENT, Procedure.Code.TRANSFER, Procedure.Code.ELECTION
TITLES = {DEV: "发展党员", TRF: "组织关系转接", ELE: "换届选举"}
LIST_URL = {DEV: "development:cases", TRF: "development:transfers", ELE: "development:elections"}
PREFIX = {DEV: "development:case", TRF: "development:transfer", ELE: "development:election"}


def _posted(request):
    """The POST data of a form submission (an empty POST still shows the form's errors)."""
    return request.POST if request.method == "POST" else None


def _case(request, code, pk, *, manage: bool = False) -> Case:
    """The case in the user's reach (404 outside it); ``manage`` for writes other than
    steps and materials, which the applicant may also do on their own case."""
    gate = get_manageable if manage else get_visible
    return gate(
        Case.objects.of(code).select_related("procedure", "org", "member", "target_org", "board"),
        request.user,
        pk=pk,
    )


# ---- lists -------------------------------------------------------------------------------


def _list_page(request, code, open_form):
    org = None
    if request.GET.get("org"):
        org = get_visible(Org.objects, request.user, pk=request.GET["org"])
    status = request.GET.get("status", "open")
    if status not in ["", *Case.Status.values]:
        status = "open"
    actor = request.GET.get("actor", "")
    if actor not in ProcedureStep.Actor.values:
        actor = ""
    qs = selectors.case_list(
        user=request.user,
        code=code,
        org=org,
        status=status,
        q=request.GET.get("q", "").strip(),
        actor=actor,
    )
    return render(
        request,
        "development/case_list.html",
        {
            "code": code,
            "title": TITLES[code],
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "org": org,
            "status": status,
            "statuses": Case.Status.choices,
            "actor": actor,
            "actors": ProcedureStep.Actor.choices,
            "open_form": open_form,
            "today": dt.date.today(),
            "detail_url": DETAIL_URL[code],
        },
        partial="rows",
    )


@manager_required
def cases(request):
    form = CaseOpenForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.development_case_open(
                actor=request.user,
                member=form.cleaned_data["member"],
                opened_on=form.cleaned_data["opened_on"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已为{case.member.name}建立发展党员案卷")
            return redirect("development:case_detail", case.pk)
    return _list_page(request, DEV, form)


@manager_required
def transfers(request):
    form = TransferForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            case = services.transfer_create(
                actor=request.user,
                member=cd["member"],
                applied_on=cd["applied_on"],
                to_org=cd["to_org"],
                destination=cd["destination"],
                note=cd["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已登记转接申请")
            return redirect("development:transfer_detail", case.pk)
    return _list_page(request, TRF, form)


@manager_required
def elections(request):
    form = ElectionOpenForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.election_open(
                actor=request.user,
                org=form.cleaned_data["org"],
                opened_on=form.cleaned_data["opened_on"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "已启动换届选举")
            return redirect("development:election_detail", case.pk)
    return _list_page(request, ELE, form)


# ---- the timeline ------------------------------------------------------------------------


def _detail(request, code, pk, *, step_form=None, status=200, forms=None):
    case = _case(request, code, pk)
    timeline = selectors.case_timeline(user=request.user, case=case)
    current = next((s for s in timeline["steps"] if s["state"] == "current"), None)
    steps, records = selectors.case_steps(case)
    is_open = case.status == Case.Status.OPEN
    current_step = steps.get(case.current_step)
    if current and step_form is None:
        step_form = StepForm(
            case=case,
            step=current["step"],
            records=records,
            user=request.user,
            initial={"done_on": dt.date.today()},
        )
    forms = forms or {}
    ctx = {
        "case": case,
        "code": code,
        "title": TITLES[code],
        "list_url": LIST_URL[code],
        "prefix": PREFIX[code],
        "timeline": timeline,
        "current": current,
        "step_form": step_form,
        "review_form": forms.get("review") or ReviewForm(),
        "extend_form": forms.get("extend") or ExtendForm(),
        "reason_form": forms.get("reason") or ReasonForm(),
        "can_correct": services.can_correct(request.user, case),
        # Side actions of the timeline, by where the case stands (step codes, not numbers).
        "can_review": is_open and selectors.in_activist_review(case, records),
        "can_extend": is_open and selectors.in_probation(case, records),
        "can_return": is_open
        and bool(case.target_org_id)
        and current_step is not None
        and current_step.code == TransferStep.RECEIVED,
        "today": dt.date.today(),
    }
    return render(request, "development/case_detail.html", ctx, status=status)


def _step_post(request, code, pk, n):
    case = _case(request, code, pk)
    steps, records = selectors.case_steps(case)
    step = steps.get(n)
    if step is None:
        raise Http404
    form = StepForm(request.POST, case=case, step=step, records=records, user=request.user)
    if form.is_valid():
        try:
            services.case_step_record(
                actor=request.user,
                case=case,
                number=n,
                done_on=form.cleaned_data["done_on"],
                data=form.step_data(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            if exc.status != 422:
                messages.error(request, exc.message)
                return redirect(DETAIL_URL[code], case.pk)
        else:
            messages.success(request, f"第{n}步“{step.name}”已办理")
            return redirect(DETAIL_URL[code], case.pk)
    return _detail(request, code, pk, step_form=form, status=422)


def _correct(request, code, pk, n):
    """The superior's correction of a recorded step: the step's whole form, filled with what
    was recorded, and a reason; on an error the page comes back with what was typed."""
    case = _case(request, code, pk)
    steps, records = selectors.case_steps(case)
    step = steps.get(n)
    if step is None:
        raise Http404
    if n not in records:
        messages.error(request, f"第{n}步尚未办理，不能更正")
        return redirect(DETAIL_URL[code], case.pk)
    if not services.can_correct(request.user, case):
        messages.error(request, "只有上级党委或平台管理员可以更正已办理的步骤")
        return redirect(DETAIL_URL[code], case.pk)
    form = StepForm(
        request.POST if request.method == "POST" else None,
        case=case,
        step=step,
        records=records,
        user=request.user,
        initial=StepForm.initial_of(step, records[n]),
    )
    form.add_reason()
    if request.method == "POST" and form.is_valid():
        try:
            services.case_step_correct(
                actor=request.user,
                case=case,
                number=n,
                done_on=form.cleaned_data["done_on"],
                data=form.step_data(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已更正第{n}步“{step.name}”")
            return redirect(DETAIL_URL[code], case.pk)
    return render(
        request,
        "development/step_correct.html",
        {
            "case": case,
            "step": step,
            "number": n,
            "form": form,
            "title": TITLES[code],
            "detail_url": reverse(DETAIL_URL[code], args=[case.pk]),
        },
        status=422 if request.method == "POST" else 200,
    )


def _material_post(request, code, pk, n):
    case = _case(request, code, pk)
    step = case.procedure.steps.filter(number=n).first()
    if step is None:
        raise Http404
    form = MaterialForm(request.POST, request.FILES, kinds=[*step.materials, OTHER_MATERIAL])
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            accept(upload)  # the size before reading it all
            services.material_add(
                actor=request.user,
                case=case,
                step=n,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已上传第{n}步材料：{form.cleaned_data['kind']}")
    else:
        messages.error(
            request,
            "请选择材料名称和文件（该步骤可上传："
            + "、".join([*step.materials, OTHER_MATERIAL])
            + "）",
        )
    return redirect(DETAIL_URL[code], case.pk)


@manager_required
def material_download(request, material_id: int):
    material = get_object_or_404(Material.objects.select_related("case"), pk=material_id)
    if not Case.objects.visible_to(request.user).filter(pk=material.case_id).exists():
        raise Http404
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.filename,
        content_type=material.content_type,
    )


def _action(request, code, pk, func, form_cls, ok: str):
    case = _case(request, code, pk, manage=True)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            func(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, ok)
    else:
        messages.error(
            request,
            "请完整填写："
            + "、".join(str(form.fields[f].label) for f in form.errors if f in form.fields),
        )
    return redirect(DETAIL_URL[code], case.pk)


# Development cases


@manager_required
def case_detail(request, case_id: int):
    return _detail(request, DEV, case_id)


@manager_required
@require_POST
def case_step(request, case_id: int, n: int):
    return _step_post(request, DEV, case_id, n)


@manager_required
def case_correct(request, case_id: int, n: int):
    return _correct(request, DEV, case_id, n)


@manager_required
@require_POST
def case_material(request, case_id: int, n: int):
    return _material_post(request, DEV, case_id, n)


@manager_required
@require_POST
def case_review(request, case_id: int):
    return _action(request, DEV, case_id, services.case_review_add, ReviewForm, "已登记考察")


@manager_required
@require_POST
def case_extend(request, case_id: int):
    return _action(
        request, DEV, case_id, services.case_extend_probation, ExtendForm, "已延长预备期"
    )


@manager_required
@require_POST
def case_cancel(request, case_id: int):
    return _action(request, DEV, case_id, services.case_cancel, ReasonForm, "案卷已终止")


# Transfers


@manager_required
def transfer_detail(request, transfer_id: int):
    return _detail(request, TRF, transfer_id)


@manager_required
@require_POST
def transfer_step(request, transfer_id: int, n: int):
    return _step_post(request, TRF, transfer_id, n)


@manager_required
def transfer_correct(request, transfer_id: int, n: int):
    return _correct(request, TRF, transfer_id, n)


@manager_required
@require_POST
def transfer_material(request, transfer_id: int, n: int):
    return _material_post(request, TRF, transfer_id, n)


@manager_required
def transfer_letter(request, transfer_id: int):
    """The transfer letter (介绍信) as a printable PDF, once the letter is issued."""
    from dangjian.core.pdf import pdf_response
    from dangjian.members.models import years_between
    from dangjian.standards.selectors import rule_in_force

    case = _case(request, TRF, transfer_id)
    _, records = selectors.case_steps(case)
    record = records.of(TransferStep.LETTER)
    if record is None:
        raise Http404
    rule = rule_in_force("TRF-1", record.done_on)
    return pdf_response(
        "development/letter_pdf.html",
        {
            "case": case,
            "member": case.member,
            "age": years_between(case.member.birth_date, record.done_on),
            "letter": record.data,
            "issued_on": record.done_on,
            "rule_text": f"{rule.code} {rule.title}",
        },
        request=request,
        filename=f"组织关系介绍信-{record.data.get('letter_number', case.pk)}",
    )


@manager_required
@require_POST
def transfer_return(request, transfer_id: int):
    return _action(request, TRF, transfer_id, services.transfer_return, ReasonForm, "已退回")


@manager_required
@require_POST
def transfer_cancel(request, transfer_id: int):
    return _action(request, TRF, transfer_id, services.case_cancel, ReasonForm, "转接已终止")


# Elections


@manager_required
def election_detail(request, election_id: int):
    return _detail(request, ELE, election_id)


@manager_required
@require_POST
def election_step(request, election_id: int, n: int):
    return _step_post(request, ELE, election_id, n)


@manager_required
def election_correct(request, election_id: int, n: int):
    return _correct(request, ELE, election_id, n)


@manager_required
@require_POST
def election_material(request, election_id: int, n: int):
    return _material_post(request, ELE, election_id, n)


@manager_required
@require_POST
def election_cancel(request, election_id: int):
    return _action(request, ELE, election_id, services.case_cancel, ReasonForm, "换届案卷已终止")


# ---- a member's own procedures (phone page) ------------------------------------------


@login_required
def mine(request):
    """A member's own development path and transfers; apply to transfer out."""
    from dangjian.development.forms import MyTransferForm
    from dangjian.members.models import Member

    member = (
        Member.objects.filter(pk=request.user.member_id).select_related("org").first()
        if request.user.member_id
        else None
    )
    form = MyTransferForm(_posted(request))
    if member is not None and request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.transfer_create(
                actor=request.user,
                member=member,
                applied_on=dt.date.today(),
                to_org=cd["to_org"],
                destination=cd["destination"],
                note=cd["note"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "转接申请已提交，请等待党支部开具介绍信")
            return redirect("development:mine")
    cases = []
    if member is not None:
        for case in (
            Case.objects.filter(member=member)
            .select_related("procedure", "org", "target_org")
            .order_by("-opened_on", "-id")
        ):
            timeline = selectors.case_timeline(user=request.user, case=case)
            case.done_count = sum(1 for s in timeline["steps"] if s["state"] == "done")
            case.total = len(timeline["steps"])
            case.current = next((s for s in timeline["steps"] if s["state"] == "current"), None)
            cases.append(case)
    return render(
        request,
        "development/mine.html",
        {"member": member, "cases": cases, "form": form},
    )


# ---- batch lists -------------------------------------------------------------------------


@manager_required
def eligible(request):
    form = EligibleForm(request.GET or None, user=request.user)
    cd = form.cleaned_data if form.is_valid() else {}
    kind = cd.get("list") or "candidates"
    org = cd.get("org")
    on = cd.get("on") or dt.date.today()
    if kind == "candidates":
        start, end, label = quarter_of(on)
        rows = selectors.candidates_due(user=request.user, org=org, start=start, end=end)
        title = f"{label}可确定为发展对象的入党积极分子"
    else:
        start, end, label = month_of(on)
        rows = selectors.probation_ending(user=request.user, org=org, start=start, end=end)
        title = f"{label}预备期满的预备党员"
    if request.GET.get("export") in {"xlsx", "csv"}:
        exporter = eligible_export(actor=request.user, org=org, title=title, rows=rows, kind=kind)
        return exporter.response(title, request.GET["export"])
    params = request.GET.copy()
    params["export"] = "xlsx"
    return render(
        request,
        "development/eligible.html",
        {
            "form": form,
            "rows": rows,
            "kind": kind,
            "title": title,
            "export_url": f"{reverse('development:eligible')}?{params.urlencode()}",
        },
    )
