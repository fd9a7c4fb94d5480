"""The development API: membership development cases, transfers and elections.

All three are cases of a procedure; the same step endpoint shape serves each:
``POST /cases/{case_id}/steps/{n}``, ``/transfers/{transfer_id}/steps/{n}``,
``/elections/{election_id}/steps/{n}``; ``n`` is the step's place in the case's template.

Reach first (404 outside it, through the gate): steps and materials need the case visible
(the applicant acts on their own steps), the other writes need it manageable. The services
then apply the domain's role rules (who acts on a step, who corrects) and answer 403.
"""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dangjian.api.paging import page_of
from dangjian.api.types import Count, Id, Page, PageSize
from dangjian.core.choices import choices_text
from dangjian.core.errors import DomainError
from dangjian.core.scope import get_manageable, get_visible, reach_of
from dangjian.core.uploads import accept
from dangjian.development import selectors, services
from dangjian.development.dates import month_of, quarter_of
from dangjian.development.forms import EligibleForm
from dangjian.development.models import Case, Material, Procedure, ProcedureStep
from dangjian.development.schemas import (
    CaseIn,
    CaseOut,
    CasePage,
    CloseIn,
    CorrectIn,
    ElectionIn,
    EligibleRow,
    ExtendIn,
    MaterialOut,
    ReviewIn,
    StepIn,
    TransferIn,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["一件事：发展党员、组织关系转接、换届选举"])

CODES = {
    "case": Procedure.Code.DEVELOPMENT,
    "transfer": Procedure.Code.TRANSFER,
    "election": Procedure.Code.ELECTION,
}


class CaseFilter(Schema):
    org: Id | None = None
    status: str = "open"
    q: str = ""
    actor: str = ""
    page: Page = 1  # bounded: an offset past int64 is a 422, not a 500
    page_size: PageSize = 50


def case_out(user, case: Case) -> Case:
    """The case as ``CaseOut`` reads it: reloaded with its relations, and its timeline as the
    user sees it."""
    case = Case.objects.select_related("procedure", "org", "member", "target_org").get(pk=case.pk)
    case.steps = selectors.case_timeline(user=user, case=case)["steps"]
    return case


def _case(request, code: str, pk: int) -> Case:
    return get_visible(
        Case.objects.of(code).select_related("procedure", "org", "member", "target_org"),
        request.user,
        pk=pk,
    )


def _managed(request, code: str, pk: int) -> Case:
    """A case the user manages (writes other than steps and materials): 404 otherwise."""
    return get_manageable(
        Case.objects.of(code).select_related("procedure", "org", "member", "target_org"),
        request.user,
        pk=pk,
    )


def _list(request, code: str, filters: CaseFilter) -> dict:
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    if filters.status and filters.status not in Case.Status.values:
        raise DomainError("状态无效，可选：" + choices_text(Case.Status.choices), field="status")
    if filters.actor and filters.actor not in ProcedureStep.Actor.values:
        raise DomainError(
            "办理主体无效，可选：" + choices_text(ProcedureStep.Actor.choices), field="actor"
        )
    qs = selectors.case_list(
        user=request.user,
        code=code,
        org=org,
        status=filters.status,
        q=filters.q,
        actor=filters.actor,
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


def _step(request, code, pk, n, payload: StepIn):
    case = _case(request, code, pk)
    case = services.case_step_record(
        actor=request.user,
        case=case,
        number=n,
        done_on=payload.done_on,
        data=payload.data,
        note=payload.note,
    )
    return case_out(request.user, case)


def _correct(request, code, pk, n, payload: CorrectIn):
    case = _case(request, code, pk)
    case = services.case_step_correct(
        actor=request.user,
        case=case,
        number=n,
        done_on=payload.done_on,
        data=payload.data,
        reason=payload.reason,
    )
    return case_out(request.user, case)


def _upload(request, code, pk, n, kind, file):
    case = _case(request, code, pk)
    accept(file)  # the size before reading it all
    material = services.material_add(
        actor=request.user, case=case, step=n, kind=kind, filename=file.name, content=file.read()
    )
    return Status(201, material)


# ---- development cases -------------------------------------------------------------------


@router.post("/cases", response={201: CaseOut}, summary="为入党申请人建立发展党员案卷")
def case_create(request, payload: CaseIn):
    member = get_manageable(Member.objects.select_related("org"), request.user, pk=payload.member)
    case = services.development_case_open(
        actor=request.user, member=member, opened_on=payload.opened_on
    )
    return Status(201, case_out(request.user, case))


@router.get("/cases", response=CasePage, summary="发展党员案卷列表（含当前步骤最迟日期）")
def case_list(request, filters: Query[CaseFilter]):
    return _list(request, Procedure.Code.DEVELOPMENT, filters)


@router.get("/cases/{case_id}", response=CaseOut, summary="案卷详情：25个步骤的时间线")
def case_detail(request, case_id: Id):
    return case_out(request.user, _case(request, Procedure.Code.DEVELOPMENT, case_id))


@router.post("/cases/{case_id}/steps/{n}", response=CaseOut, summary="办理第 n 步")
def case_step(request, case_id: Id, n: Count, payload: StepIn):
    return _step(request, Procedure.Code.DEVELOPMENT, case_id, n, payload)


@router.post(
    "/cases/{case_id}/steps/{n}/correct", response=CaseOut, summary="更正已办理的步骤（上级党委）"
)
def case_step_correct(request, case_id: Id, n: Count, payload: CorrectIn):
    return _correct(request, Procedure.Code.DEVELOPMENT, case_id, n, payload)


@router.post(
    "/cases/{case_id}/steps/{n}/materials",
    response={201: MaterialOut},
    summary="上传第 n 步的材料（PDF/图片/Word/Excel）",
)
def case_material(request, case_id: Id, n: Count, file: File[UploadedFile], kind: Form[str] = ""):
    return _upload(request, Procedure.Code.DEVELOPMENT, case_id, n, kind, file)


@router.post("/cases/{case_id}/reviews", response=CaseOut, summary="登记一次积极分子考察")
def case_review(request, case_id: Id, payload: ReviewIn):
    case = _managed(request, Procedure.Code.DEVELOPMENT, case_id)
    case = services.case_review_add(actor=request.user, case=case, reviewed_on=payload.reviewed_on)
    return case_out(request.user, case)


@router.post("/cases/{case_id}/extend-probation", response=CaseOut, summary="延长预备期")
def case_extend(request, case_id: Id, payload: ExtendIn):
    case = _managed(request, Procedure.Code.DEVELOPMENT, case_id)
    case = services.case_extend_probation(
        actor=request.user,
        case=case,
        months=payload.months,
        decided_on=payload.decided_on,
        reason=payload.reason,
    )
    return case_out(request.user, case)


@router.post("/cases/{case_id}/cancel", response=CaseOut, summary="终止案卷")
def case_cancel(request, case_id: Id, payload: CloseIn):
    case = _managed(request, Procedure.Code.DEVELOPMENT, case_id)
    case = services.case_cancel(actor=request.user, case=case, reason=payload.reason, on=payload.on)
    return case_out(request.user, case)


@router.get("/materials/{material_id}", summary="下载材料（发展党员、转接、换届通用）")
def material_download(request, material_id: Id):
    material = get_object_or_404(Material, pk=material_id)
    get_visible(Case.objects, request.user, pk=material.case_id)
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.filename,
        content_type=material.content_type,
    )


class EligibleFilter(Schema):
    list: str = "candidates"
    org: Id | None = None
    on: dt.date | None = None


@router.get(
    "/eligible",
    response=list[EligibleRow],
    summary="批量名单：本季度可确定为发展对象 / 本月预备期满",
)
def eligible(request, filters: Query[EligibleFilter]):
    if not reach_of(request.user).is_manager:
        raise Http404
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    on = filters.on or dt.date.today()
    if filters.list == "candidates":
        start, end, _ = quarter_of(on)
        rows = selectors.candidates_due(user=request.user, org=org, start=start, end=end)
        return [
            {
                "member": m,
                "org": m.org,
                "status": m.status,
                "since": m.activist_at,
                "date": m.eligible_on,
            }
            for m in rows
        ]
    if filters.list == "probation":
        start, end, _ = month_of(on)
        rows = selectors.probation_ending(user=request.user, org=org, start=start, end=end)
        return [
            {
                "member": m,
                "org": m.org,
                "status": m.status,
                "since": m.joined_at,
                "date": m.probation_end,
                "case_id": m.case_id,
            }
            for m in rows
        ]
    raise DomainError("名单类型无效，可选：" + choices_text(EligibleForm.LISTS), field="list")


# ---- transfers ---------------------------------------------------------------------------


@router.post("/transfers", response={201: CaseOut}, summary="申请组织关系转接")
def transfer_create(request, payload: TransferIn):
    # A member applies for themselves; anyone else's transfer needs the member managed.
    members = Member.objects.select_related("org")
    if payload.member == reach_of(request.user).member_id:
        member = get_visible(members, request.user, pk=payload.member)
    else:
        member = get_manageable(members, request.user, pk=payload.member)
    to_org = None
    if payload.to_org is not None:
        # Any org of the system may receive: the receiving org need not be in the user's reach.
        to_org = get_object_or_404(Org, pk=payload.to_org)
    case = services.transfer_create(
        actor=request.user,
        member=member,
        applied_on=payload.applied_on,
        to_org=to_org,
        destination=payload.destination,
        note=payload.note,
    )
    return Status(201, case_out(request.user, case))


@router.get("/transfers", response=CasePage, summary="组织关系转接列表（转出和转入）")
def transfer_list(request, filters: Query[CaseFilter]):
    return _list(request, Procedure.Code.TRANSFER, filters)


@router.get("/transfers/{transfer_id}", response=CaseOut, summary="转接详情")
def transfer_detail(request, transfer_id: Id):
    return case_out(request.user, _case(request, Procedure.Code.TRANSFER, transfer_id))


@router.post("/transfers/{transfer_id}/steps/{n}", response=CaseOut, summary="办理转接第 n 步")
def transfer_step(request, transfer_id: Id, n: Count, payload: StepIn):
    return _step(request, Procedure.Code.TRANSFER, transfer_id, n, payload)


@router.post(
    "/transfers/{transfer_id}/steps/{n}/correct",
    response=CaseOut,
    summary="更正转接已办理的步骤（上级党委）",
)
def transfer_step_correct(request, transfer_id: Id, n: Count, payload: CorrectIn):
    return _correct(request, Procedure.Code.TRANSFER, transfer_id, n, payload)


@router.post(
    "/transfers/{transfer_id}/steps/{n}/materials",
    response={201: MaterialOut},
    summary="上传转接材料",
)
def transfer_material(
    request, transfer_id: Id, n: Count, file: File[UploadedFile], kind: Form[str] = ""
):
    return _upload(request, Procedure.Code.TRANSFER, transfer_id, n, kind, file)


@router.post("/transfers/{transfer_id}/return", response=CaseOut, summary="接收方退回")
def transfer_return(request, transfer_id: Id, payload: CloseIn):
    case = _managed(request, Procedure.Code.TRANSFER, transfer_id)
    case = services.transfer_return(
        actor=request.user, case=case, reason=payload.reason, on=payload.on
    )
    return case_out(request.user, case)


@router.post("/transfers/{transfer_id}/cancel", response=CaseOut, summary="原党组织终止转接")
def transfer_cancel(request, transfer_id: Id, payload: CloseIn):
    case = _managed(request, Procedure.Code.TRANSFER, transfer_id)
    case = services.case_cancel(actor=request.user, case=case, reason=payload.reason, on=payload.on)
    return case_out(request.user, case)


# ---- elections ---------------------------------------------------------------------------


@router.post("/elections", response={201: CaseOut}, summary="启动换届选举")
def election_create(request, payload: ElectionIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    case = services.election_open(actor=request.user, org=org, opened_on=payload.opened_on)
    return Status(201, case_out(request.user, case))


@router.get("/elections", response=CasePage, summary="换届选举列表")
def election_list(request, filters: Query[CaseFilter]):
    return _list(request, Procedure.Code.ELECTION, filters)


@router.get("/elections/{election_id}", response=CaseOut, summary="换届选举详情")
def election_detail(request, election_id: Id):
    return case_out(request.user, _case(request, Procedure.Code.ELECTION, election_id))


@router.post("/elections/{election_id}/steps/{n}", response=CaseOut, summary="办理换届第 n 步")
def election_step(request, election_id: Id, n: Count, payload: StepIn):
    return _step(request, Procedure.Code.ELECTION, election_id, n, payload)


@router.post(
    "/elections/{election_id}/steps/{n}/correct",
    response=CaseOut,
    summary="更正换届已办理的步骤（上级党委）",
)
def election_step_correct(request, election_id: Id, n: Count, payload: CorrectIn):
    return _correct(request, Procedure.Code.ELECTION, election_id, n, payload)


@router.post(
    "/elections/{election_id}/steps/{n}/materials",
    response={201: MaterialOut},
    summary="上传换届材料",
)
def election_material(
    request, election_id: Id, n: Count, file: File[UploadedFile], kind: Form[str] = ""
):
    return _upload(request, Procedure.Code.ELECTION, election_id, n, kind, file)


@router.post("/elections/{election_id}/cancel", response=CaseOut, summary="终止换届案卷")
def election_cancel(request, election_id: Id, payload: CloseIn):
    case = _managed(request, Procedure.Code.ELECTION, election_id)
    case = services.case_cancel(actor=request.user, case=case, reason=payload.reason, on=payload.on)
    return case_out(request.user, case)
