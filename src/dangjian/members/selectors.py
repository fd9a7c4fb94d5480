"""Reads of member data, always through the gate."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from dangjian.core import crypto
from dangjian.core.idnumber import normalize
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Org

ASCII_RE = re.compile(r"^[a-z]+$")
DIGITS_RE = re.compile(r"^\d{1,17}[\dxX]?$")


def search_q(text: str) -> Q:
    """Name, full pinyin ("zhangsan"), pinyin initials ("zs"), or ID number digits."""
    text = (text or "").strip()
    if not text:
        return Q()
    lower = text.lower().replace(" ", "")
    if ASCII_RE.match(lower):
        return Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
    if DIGITS_RE.match(text):
        number = normalize(text)
        if len(number) == 18:
            return Q(id_number_hash=crypto.lookup_hash(number))
        # Only the last four digits are kept in clear (masked form); match those.
        return Q(id_number_masked__endswith=number[-4:])
    return Q(name__contains=text)


def member_list(
    *,
    user,
    q: str = "",
    status: str = "",
    org: Org | None = None,
    include_left: bool = False,
    order: str = "name",
) -> QuerySet[Member]:
    qs = Member.objects.visible_to(user).select_related("org", "unit")
    if not include_left:
        qs = qs.on_rolls()
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    qs = qs.filter(search_q(q))
    orderings = {
        "name": ["name_pinyin", "id"],
        "-name": ["-name_pinyin", "-id"],
        "org": ["org__path", "name_pinyin"],
        "status": ["status", "name_pinyin"],
        "full_at": ["full_at", "name_pinyin"],
        "-full_at": ["-full_at", "name_pinyin"],
        "birth_date": ["birth_date", "id"],
    }
    return qs.order_by(*orderings.get(order, orderings["name"]))


def member_history(*, user, member: Member) -> QuerySet[MemberEvent]:
    return (
        MemberEvent.objects.visible_to(user)
        .filter(member=member)
        .select_related("from_org", "to_org", "actor")
    )
