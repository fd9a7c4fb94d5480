"""Assessment API: the rectification list (整改清单)."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from dangjian.api.paging import page_of
from dangjian.api.types import Id
from dangjian.assessment import selectors, services
from dangjian.assessment.models import Rectification
from dangjian.assessment.schemas import (
    RectificationFilter,
    RectificationIn,
    RectificationOut,
    RectificationPage,
    SubmitIn,
    VerifyIn,
)
from dangjian.core.errors import DomainError
from dangjian.core.scope import get_manageable, get_visible
from dangjian.members.models import Member
from dangjian.orgs.models import Org

router = Router(tags=["考核督查"])  # mounted at /rectifications


@router.get("", response=RectificationPage, summary="整改清单")
def rectification_list(request, filters: Query[RectificationFilter]):
    org = get_visible(Org.objects, request.user, pk=filters.org) if filters.org else None
    qs = selectors.rectification_list(
        user=request.user,
        org=org,
        status=filters.status or "",
        overdue_on=timezone.localdate() if filters.overdue else None,
    )
    return page_of(qs, page=filters.page, page_size=filters.page_size)


@router.post("", response={201: RectificationOut}, summary="列入整改清单")
def rectification_create(request, payload: RectificationIn):
    org = get_manageable(Org.objects, request.user, pk=payload.org)
    owner = Member.objects.manageable_by(request.user).filter(pk=payload.owner).first()
    if owner is None:
        raise DomainError("责任人不存在或不在您的管理范围内", field="owner")
    rect = services.rectification_create(
        actor=request.user,
        org=org,
        item=payload.item,
        owner=owner,
        deadline=payload.deadline,
        detail=payload.detail,
    )
    return Status(201, rect)


@router.get("/{rectification_id}", response=RectificationOut, summary="整改事项")
def rectification_detail(request, rectification_id: Id):
    rect = get_visible(
        Rectification.objects.select_related("owner", "source_type"),
        request.user,
        pk=rectification_id,
    )
    return rect


@router.post(
    "/{rectification_id}/submit",
    response=RectificationOut,
    summary="提交整改情况（责任人或书记）",
)
def rectification_submit(request, rectification_id: Id, payload: SubmitIn):
    rect = get_visible(
        Rectification.objects.select_related("org", "owner"), request.user, pk=rectification_id
    )
    rect = services.rectification_submit(
        actor=request.user, rectification=rect, evidence=payload.evidence
    )
    return rect


@router.post(
    "/{rectification_id}/verify",
    response=RectificationOut,
    summary="书记验收（通过销号或退回）",
)
def rectification_verify(request, rectification_id: Id, payload: VerifyIn):
    rect = get_manageable(
        Rectification.objects.select_related("org", "owner"), request.user, pk=rectification_id
    )
    rect = services.rectification_verify(
        actor=request.user, rectification=rect, accepted=payload.accepted, note=payload.note
    )
    return rect
