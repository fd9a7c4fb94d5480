"""Reads of the org tree, always through the gate."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from dangjian.core.scope import subtree_q
from dangjian.members.models import Member
from dangjian.orgs.models import Board, Org, Position

ACTIVE_CHILDREN = Count("children", filter=Q(children__dissolved_on__isnull=True))


def org_list(*, user, parent: Org | None = None, kind: str = "", q: str = "") -> QuerySet[Org]:
    qs = Org.objects.visible_to(user).active().select_related("parent", "unit")
    if parent is not None:
        qs = qs.in_subtree(parent)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q))
    return qs


def member_counts(paths: list[str]) -> dict[str, int]:
    """Members on the rolls in each subtree, from one grouped query over all of them."""
    if not paths:
        return {}
    direct = (
        Member.objects.on_rolls()
        .filter(Q(*[subtree_q(p) for p in paths], _connector=Q.OR))
        .values("org__path")
        .annotate(n=Count("id"))
    )
    totals = dict.fromkeys(paths, 0)
    for row in direct:
        for p in paths:
            if row["org__path"].startswith(p):
                totals[p] += row["n"]
    return totals


def tree_roots(*, user) -> list[Org]:
    """The top orgs of the user's reach (for a superuser: the roots), with child counts."""
    from dangjian.core.scope import reach_of

    reach = reach_of(user)
    if reach.everything:
        qs = Org.objects.active().filter(parent__isnull=True)
    elif reach.paths:
        qs = Org.objects.active().filter(path__in=reach.paths)
    else:
        qs = Org.objects.visible_to(user).active()
    return list(qs.annotate(n_children=ACTIVE_CHILDREN).order_by("path"))


def children_with_counts(*, user, org: Org) -> list[Org]:
    children = list(
        Org.objects.visible_to(user)
        .active()
        .filter(parent=org)
        .annotate(n_children=Count("children", filter=Q(children__dissolved_on__isnull=True)))
        .order_by("sort", "name")
    )
    counts = member_counts([c.path for c in children])
    for child in children:
        child.member_count = counts.get(child.path, 0)
    return children


def current_board(org: Org) -> tuple[Board | None, list[Position]]:
    board = Board.objects.filter(org=org, is_current=True).first()
    seats = list(
        Position.objects.active()
        .filter(org=org)
        .exclude(role=Position.Role.STAFF)
        .select_related("member", "user")
        .order_by("role")
    )
    return board, seats


def active_roles(user, day: dt.date):
    """(org path, role) of the user's positions active on ``day`` in orgs not dissolved: what
    the gate (``core.scope.reach_of``) builds a reach from."""
    return (
        Position.objects.active(day)
        .filter(user=user, org__dissolved_on__isnull=True)
        .values_list("org__path", "role")
    )


def org_choices(user) -> QuerySet[Org]:
    """Orgs a user may pick in a filter or as an owner: within reach, active, not groups."""
    return Org.objects.manageable_by(user).active().exclude(kind=Org.Kind.GROUP)


def handlers_of(orgs, roles=None, *, active_accounts_only: bool = False) -> dict[int, list]:
    """Who is told about an org's business: per org id, the accounts of the positions active
    today in ``orgs`` (orgs or ids) whose role is one of ``roles`` (None: any role), in one
    query. ``active_accounts_only`` leaves out accounts that are switched off."""
    ids = {getattr(o, "pk", o) for o in orgs}
    qs = Position.objects.active().filter(org_id__in=ids, user__isnull=False)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    if active_accounts_only:
        qs = qs.filter(user__is_active=True)
    out: dict[int, list] = {}
    for position in qs.select_related("user").order_by("org_id", "pk"):
        users = out.setdefault(position.org_id, [])
        if position.user not in users:
            users.append(position.user)
    return out
