"""Every change to the org tree, boards and positions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from dangjian.core.audit import audit, diff, snapshot
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.orgs.models import ALLOWED_PARENTS, PATH_STEP, Board, Org, Position, Unit

ORG_FIELDS = ["name", "short_name", "kind", "parent", "unit", "sort", "established_on"]


def segment(org: Org) -> str:
    return f"{org.pk:0{PATH_STEP - 1}d}/"


def _check_parent(kind: str, parent: Org | None) -> None:
    if kind not in Org.Kind.values:
        raise DomainError(f"未知的组织类型：{kind}", field="kind")
    if parent is None:
        if kind != Org.Kind.WORK_COMMITTEE:
            raise DomainError("请选择上级组织", field="parent")
        return
    if parent.is_dissolved:
        raise DomainError(f"上级组织“{parent}”已撤销", field="parent")
    if parent.kind not in ALLOWED_PARENTS[kind]:
        raise DomainError(
            f"{Org.Kind(kind).label}不能设在{parent.get_kind_display()}之下", field="parent"
        )


def _check_reach(actor, parent: Org | None) -> None:
    reach = reach_of(actor)
    if parent is None:
        if not reach.everything:
            raise DomainError("只有平台管理员可以新建顶级组织", field="parent")
    elif not reach.covers(parent.path):
        raise DomainError("上级组织不在您的管理范围内", field="parent")


@transaction.atomic
def org_create(
    *,
    actor,
    name: str,
    kind: str,
    parent: Org | None,
    unit: Unit | None = None,
    short_name: str = "",
    sort: int = 0,
    established_on: dt.date | None = None,
) -> Org:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写组织名称", field="name")
    _check_parent(kind, parent)
    _check_reach(actor, parent)
    org = Org.objects.create(
        name=name,
        kind=kind,
        parent=parent,
        unit=unit,
        short_name=short_name,
        sort=sort,
        established_on=established_on,
        depth=(parent.depth + 1) if parent else 0,
    )
    org.path = (parent.path if parent else "") + segment(org)
    Org.objects.filter(pk=org.pk).update(path=org.path)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=org,
        verb="新建组织",
        changes=snapshot(org, ORG_FIELDS),
    )
    return org


@transaction.atomic
def org_update(*, actor, org: Org, **fields) -> Org:
    """Rename or change details. Moving to another parent goes through ``org_move``."""
    before = snapshot(org, ORG_FIELDS)
    if "parent" in fields and fields["parent"] != org.parent:
        org = org_move(actor=actor, org=org, new_parent=fields.pop("parent"))
    fields.pop("parent", None)
    if "kind" in fields and fields["kind"] != org.kind:
        _check_parent(fields["kind"], org.parent)
        if fields["kind"] != Org.Kind.BRANCH and org.children.filter(kind="group").exists():
            raise DomainError("该组织下设有党小组，只有党支部可以设党小组", field="kind")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise DomainError("请填写组织名称", field="name")
    for key, value in fields.items():
        if key not in ORG_FIELDS:
            raise DomainError(f"不能修改字段 {key}", field=key)
        setattr(org, key, value)
    org.save()
    changes = diff(before, snapshot(org, ORG_FIELDS))
    if changes:
        audit(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=org, verb="修改组织", changes=changes
        )
    return org


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org | None) -> Org:
    """Move an org under a new parent; the whole subtree follows in one UPDATE."""
    if new_parent is None:
        raise DomainError("请选择新的上级组织", field="parent")
    if new_parent.path.startswith(org.path):
        raise DomainError("不能把组织移到它自己或它的下级组织之下", field="parent")
    _check_parent(org.kind, new_parent)
    _check_reach(actor, new_parent)  # the new parent is input: the org itself came through the gate
    old_path, old_parent = org.path, org.parent
    new_path = new_parent.path + segment(org)
    depth_shift = new_parent.depth + 1 - org.depth
    from django.db.models import F

    # Raw lookup on purpose: the paths themselves are rewritten, from the old prefix.
    Org.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=org,
        verb="调整隶属关系",
        changes={
            "parent": [old_parent.pk if old_parent else None, new_parent.pk],
            "path": [old_path, new_path],
        },
    )
    return org


@transaction.atomic
def org_dissolve(*, actor, org: Org, on: dt.date | None = None) -> Org:
    """Dissolve an org and its subtree; refused while anyone is still on its rolls."""
    from dangjian.members.models import Member

    if org.is_dissolved:
        raise Conflict("该组织已撤销")
    remaining = Member.objects.on_rolls().in_subtree(org).count()
    if remaining:
        raise Conflict(f"该组织及其下级组织仍有 {remaining} 名党员，请先转出后再撤销")
    on = on or dt.date.today()
    now = timezone.now()  # updated_at too: pages kept per user read it (core.pagecache)
    Org.objects.in_subtree(org).filter(dissolved_on__isnull=True).update(
        dissolved_on=on, updated_at=now
    )
    Position.objects.in_subtree(org).filter(ended_on__isnull=True).update(
        ended_on=on, updated_at=now
    )
    org.refresh_from_db()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=org,
        verb="撤销组织",
        changes={"dissolved_on": [None, str(on)]},
    )
    return org


@transaction.atomic
def unit_create(*, actor, name: str, code: str = "") -> Unit:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写单位名称", field="name")
    if Unit.objects.filter(name=name).exists():
        raise Conflict(f"单位“{name}”已存在", field="name")
    unit = Unit.objects.create(name=name, code=code)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=unit,
        verb="新建单位",
        changes={"name": name},
    )
    return unit


@transaction.atomic
def board_create(
    *, actor, org: Org, term_start: dt.date, term_end: dt.date, elected_on: dt.date | None = None
) -> Board:
    """Record a new board term; the previous current term stops being current."""
    if term_end <= term_start:
        raise DomainError("任期届满日期须晚于任期开始日期", field="term_end")
    Board.objects.filter(org=org, is_current=True).update(is_current=False)
    board = Board.objects.create(
        org=org, term_start=term_start, term_end=term_end, elected_on=elected_on, is_current=True
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=board,
        verb="新一届班子",
        changes={"term_start": term_start, "term_end": term_end},
    )
    return board


# Orgs whose managers may appoint to roles that reveal full ID numbers.
COMMITTEE_LEVEL_KINDS = (Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE)


def _committee_level(actor, org: Org) -> bool:
    """The platform admin, or an actor holding a position at a committee-level org whose
    subtree contains ``org``."""
    reach = reach_of(actor)
    if reach.everything:
        return True
    held = {path for path, _ in reach.roles}
    return Org.objects.filter(
        path__in=[p for p in held if org.path.startswith(p)], kind__in=COMMITTEE_LEVEL_KINDS
    ).exists()


@transaction.atomic
def position_assign(
    *,
    actor,
    org: Org,
    role: str,
    user=None,
    member=None,
    started_on: dt.date | None = None,
    board: Board | None = None,
) -> Position:
    if role not in Position.Role.values:
        raise DomainError(
            f"未知的职务：{role}，可选：{choices_text(Position.Role.choices)}", field="role"
        )
    if org.is_dissolved:
        raise DomainError("该组织已撤销")
    if user is None and member is None:
        raise DomainError("请指定账号或党员", field="user")
    if role in settings.ID_REVEAL_ROLES and not _committee_level(actor, org):
        raise Forbidden(
            f"“{Position.Role(role).label}”可查看完整证件号，"
            "只能由党委（机关工委）一级的管理人员或平台管理员任命",
            field="role",
        )
    if member is None and user is not None:
        member = user.member
    if member is not None and not member.org.path.startswith(org.path):
        raise DomainError("班子成员须是本组织（含下级）的党员", field="member")
    active = Position.objects.active().filter(org=org, role=role)
    if user is not None and active.filter(user=user).exists():
        raise Conflict("该账号已担任此职务", field="user")
    if (
        role == Position.Role.SECRETARY
        and member is not None
        and active.filter(member__isnull=False).exclude(member=member).exists()
    ):
        raise Conflict("该组织已有书记，请先办理原书记离任", field="role")
    if board is None:
        board = Board.objects.filter(org=org, is_current=True).first()
    position = Position.objects.create(
        org=org,
        role=role,
        user=user,
        member=member,
        board=board,
        started_on=started_on or dt.date.today(),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=position,
        verb="任职",
        changes={"role": role, "user": user, "member": member},
    )
    return position


@transaction.atomic
def position_end(*, actor, position: Position, on: dt.date | None = None) -> Position:
    if position.ended_on is not None:
        raise Conflict("该职务已离任")
    position.ended_on = on or dt.date.today()
    position.save(update_fields=["ended_on", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=position,
        verb="离任",
        changes={"ended_on": [None, position.ended_on]},
    )
    return position
