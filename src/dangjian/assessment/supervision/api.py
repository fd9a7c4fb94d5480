"""Supervision API: inspections (/inspections), duty reports (/duty-reports) and talks
(/talks). Thin: the gate first (404), then the same services as the pages."""

from __future__ import annotations

from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision import duty, inspections, selectors, talks
from dangjian.assessment.supervision.models import DutyReport, Inspection, Talk
from dangjian.assessment.supervision.schemas import (
    AccountabilityIn,
    AccountabilityOut,
    DutyBallotIn,
    DutyBallotOut,
    DutyCommentIn,
    DutyFilter,
    DutyReportCreated,
    DutyReportDetail,
    DutyReportIn,
    DutyReportOut,
    DutyReportPage,
    InspectionDetail,
    InspectionFilter,
    InspectionIn,
    InspectionOut,
    InspectionPage,
    InspectionVisitIn,
    InspectionVisitOut,
    TalkCommitmentIn,
    TalkCommitmentOut,
    TalkDetail,
    TalkFilter,
    TalkIn,
    TalkOut,
    TalkPage,
)
from dangjian.core.errors import DomainError
from dangjian.core.scope import get_manageable, get_visible
from dangjian.members.models import Member
from dangjian.orgs.models import Org

inspection_router = Router(tags=["考核督查"])  # mounted at /inspections
duty_router = Router(tags=["考核督查"])  # mounted at /duty-reports
talk_router = Router(tags=["考核督查"])  # mounted at /talks


def _member(user, pk: int, field: str) -> Member:
    member = Member.objects.manageable_by(user).select_related("org").filter(pk=pk).first()
    if member is None:
        raise DomainError("党员不存在或不在您的管理范围内", field=field)
    return member


# ---- inspections -------------------------------------------------------------------------


@inspection_router.get("", response=InspectionPage, summary="督查列表")
def inspection_list(request, filters: Query[InspectionFilter]):
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.inspection_list(user=request.user, org=org, year=filters.year)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@inspection_router.post("", response={201: InspectionOut}, summary="发起督查")
def inspection_create(request, payload: InspectionIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    inspection = inspections.inspection_create(
        actor=request.user, **payload.dict(exclude={"org"}), org=org
    )
    return Status(201, selectors.with_coverage(Inspection.objects).get(pk=inspection.pk))


@inspection_router.get("/{inspection_id}", response=InspectionDetail, summary="督查详情与覆盖率")
def inspection_detail(request, inspection_id: Id):
    inspection = get_visible(
        selectors.with_coverage(Inspection.objects.select_related("org")),
        request.user,
        pk=inspection_id,
    )
    inspection.target_rows = [
        {
            "org": r["org"].pk,
            "org_name": r["org"].name,
            "inspected": r["visit"] is not None,
            "visited_on": r["visit"].on if r["visit"] else None,
            "kind": r["visit"].kind if r["visit"] else None,
            "findings": r["findings"],
            "closed": r["closed"],
        }
        for r in selectors.inspection_board(inspection)
    ]
    inspection.checklist = list(inspection.items.all())
    return inspection


@inspection_router.post(
    "/{inspection_id}/visits", response={201: InspectionVisitOut}, summary="登记督查（问题转整改）"
)
def inspection_visit(request, inspection_id: Id, payload: InspectionVisitIn):
    inspection = get_manageable(Inspection.objects, request.user, pk=inspection_id)
    org = Org.objects.in_subtree(inspection.org).filter(pk=payload.org).first()
    if org is None:
        raise DomainError("该党组织不是本次督查的对象", field="org")
    findings = []
    for i, f in enumerate(payload.findings):
        owner = _member(request.user, f.owner, f"findings.{i}.owner") if f.owner else None
        findings.append({"text": f.text, "deadline": f.deadline, "owner": owner})
    visit = inspections.inspection_visit(
        actor=request.user,
        inspection=inspection,
        org=org,
        on=payload.on,
        kind=payload.kind,
        note=payload.note,
        findings=findings,
    )
    visit.findings = list(selectors.visit_findings(visit))
    return Status(201, visit)


# ---- duty reports ------------------------------------------------------------------------


@duty_router.get("", response=DutyReportPage, summary="述职评议列表")
def duty_report_list(request, filters: Query[DutyFilter]):
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.duty_report_list(user=request.user, org=org, year=filters.year)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@duty_router.post("", response={201: DutyReportCreated}, summary="登记书记述职报告")
def duty_report_create(request, payload: DutyReportIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    reporter = _member(request.user, payload.reporter, "reporter")
    report = duty.duty_report_create(
        actor=request.user, org=org, year=payload.year, reporter=reporter, text=payload.text
    )
    return Status(201, report)


@duty_router.get(
    "/{duty_report_id}", response=DutyReportDetail, summary="述职报告与评议结果（不含投票人）"
)
def duty_report_detail(request, duty_report_id: Id):
    report = get_visible(
        DutyReport.objects.select_related("org", "reporter"), request.user, pk=duty_report_id
    )
    report.tallies = duty.tallies(report)
    report.voter_count = selectors.voter_counts([report]).get(report.pk, 0)
    return report


@duty_router.post(
    "/{duty_report_id}/ballots", response={201: DutyBallotOut}, summary="评议（匿名，每人一次）"
)
def duty_ballot(request, duty_report_id: Id, payload: DutyBallotIn):
    report = get_visible(DutyReport.objects.select_related("org"), request.user, pk=duty_report_id)
    duty.duty_ballot_cast(actor=request.user, report=report, rating=payload.rating)
    return Status(201, {"voted": True})


@duty_router.post("/{duty_report_id}/comment", response=DutyReportOut, summary="上级党组织点评")
def duty_comment(request, duty_report_id: Id, payload: DutyCommentIn):
    report = get_manageable(
        DutyReport.objects.select_related("org", "reporter"), request.user, pk=duty_report_id
    )
    return duty.duty_report_comment(
        actor=request.user, report=report, comment=payload.comment, close=payload.close
    )


# ---- talks -------------------------------------------------------------------------------


@talk_router.get("", response=TalkPage, summary="谈话函询登记簿")
def talk_list(request, filters: Query[TalkFilter]):
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    member = (
        get_visible(Member.objects, request.user, pk=filters.member) if filters.member else None
    )
    qs = selectors.talk_list(user=request.user, org=org, kind=filters.kind or "", member=member)
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@talk_router.post("", response={201: TalkOut}, summary="登记提醒谈话、约谈或函询")
def talk_create(request, payload: TalkIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    member = _member(request.user, payload.member, "member")
    findings = list(
        Rectification.objects.manageable_by(request.user)
        .select_related("org")
        .filter(pk__in=payload.findings)
    )
    if len(findings) != len(set(payload.findings)):
        raise DomainError("相关整改事项不存在或不在您的管理范围内", field="findings")
    talk = talks.talk_create(
        actor=request.user,
        kind=payload.kind,
        org=org,
        member=member,
        reason=payload.reason,
        on=payload.on,
        record=payload.record,
        findings=findings,
    )
    return Status(201, Talk.objects.select_related("org", "member").get(pk=talk.pk))


@talk_router.get("/{talk_id}", response=TalkDetail, summary="谈话函询详情")
def talk_detail(request, talk_id: Id):
    talk = get_visible(Talk.objects.select_related("org", "member"), request.user, pk=talk_id)
    talk.finding_ids = list(talk.findings.values_list("pk", flat=True))
    talk.commitments = list(Rectification.objects.for_source(talk))
    talk.decision_rows = list(talk.decisions.all())
    return talk


@talk_router.post(
    "/{talk_id}/commitments", response={201: TalkCommitmentOut}, summary="登记承诺事项（列入整改）"
)
def talk_commitment(request, talk_id: Id, payload: TalkCommitmentIn):
    talk = get_manageable(Talk.objects.select_related("org", "member"), request.user, pk=talk_id)
    rect = talks.talk_commit(
        actor=request.user, talk=talk, item=payload.item, deadline=payload.deadline
    )
    return Status(201, rect)


@talk_router.post(
    "/{talk_id}/accountability", response={201: AccountabilityOut}, summary="登记问责决定"
)
def talk_accountability(request, talk_id: Id, payload: AccountabilityIn):
    talk = get_manageable(Talk.objects.select_related("org", "member"), request.user, pk=talk_id)
    row = talks.accountability_create(
        actor=request.user,
        org=talk.org,
        member=talk.member,
        talk=talk,
        decision=payload.decision,
        basis=payload.basis,
        decided_on=payload.decided_on,
    )
    return Status(201, row)
