from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from dangjian.accounts.models import User
from dangjian.api.types import Id
from dangjian.core.scope import get_manageable, get_visible
from dangjian.members.models import Member
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Org, Position, Unit
from dangjian.orgs.schemas import DissolveIn, OrgIn, OrgOut, OrgPatch, PositionIn, PositionOut

router = Router(tags=["党组织"])


class OrgFilter(Schema):
    parent: Id | None = None
    kind: Org.Kind | None = None
    q: str = ""


def _parent(request, parent_id: Id | None) -> Org | None:
    if parent_id is None:
        return None
    return get_object_or_404(Org.objects.visible_to(request.user), pk=parent_id)


def _unit(unit_id: Id | None) -> Unit | None:
    return get_object_or_404(Unit, pk=unit_id) if unit_id is not None else None


@router.get("", response=list[OrgOut], summary="组织列表（可见范围内）")
def org_list(request, filters: Query[OrgFilter]):
    parent = _parent(request, filters.parent)
    return list(
        selectors.org_list(user=request.user, parent=parent, kind=filters.kind or "", q=filters.q)
    )


@router.post("", response={201: OrgOut}, summary="新建组织")
def org_create(request, payload: OrgIn):
    org = services.org_create(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        parent=_parent(request, payload.parent),
        unit=_unit(payload.unit),
        short_name=payload.short_name,
        sort=payload.sort,
        established_on=payload.established_on,
    )
    return Status(201, org)


@router.get("/{org_id}", response=OrgOut, summary="组织详情")
def org_detail(request, org_id: Id):
    return get_visible(Org.objects, request.user, pk=org_id)


@router.patch("/{org_id}", response=OrgOut, summary="修改组织（改名、调整隶属关系等）")
def org_update(request, org_id: Id, payload: OrgPatch):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    fields = payload.dict(exclude_unset=True)
    if "parent" in fields:
        fields["parent"] = _parent(request, fields["parent"])
    if "unit" in fields:
        fields["unit"] = _unit(fields["unit"])
    return services.org_update(actor=request.user, org=org, **fields)


@router.post("/{org_id}/dissolve", response=OrgOut, summary="撤销组织（仍有党员时拒绝）")
def org_dissolve(request, org_id: Id, payload: DissolveIn):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    return services.org_dissolve(actor=request.user, org=org, on=payload.on)


@router.get("/{org_id}/positions", response=list[PositionOut], summary="职务列表")
def position_list(request, org_id: Id):
    org = get_visible(Org.objects, request.user, pk=org_id)
    return list(Position.objects.active().filter(org=org))


@router.post("/{org_id}/positions", response={201: PositionOut}, summary="任命职务")
def position_assign(request, org_id: Id, payload: PositionIn):
    org = get_manageable(Org.objects, request.user, pk=org_id)
    user = get_object_or_404(User, pk=payload.user) if payload.user is not None else None
    member = (
        get_object_or_404(Member.objects.visible_to(request.user), pk=payload.member)
        if payload.member is not None
        else None
    )
    position = services.position_assign(
        actor=request.user,
        org=org,
        role=payload.role,
        user=user,
        member=member,
        started_on=payload.started_on,
    )
    return Status(201, position)
