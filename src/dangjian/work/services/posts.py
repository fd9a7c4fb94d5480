"""Vanguard posts, responsibility zones and the members' yearly pledges (承诺践诺)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.work.models import (
    Pledge,
    ResponsibilityZone,
    VanguardPost,
)
from dangjian.work.services.common import (
    _members_within,
    _text,
    _year,
)

# --- posts, zones, pledges -----------------------------------------------------------

POST_MODELS = {"vanguard": VanguardPost, "zone": ResponsibilityZone}


@transaction.atomic
def post_create(
    *,
    actor,
    kind: str,
    org: Org,
    title: str,
    holders: list[Member],
    started_on: dt.date,
    ended_on: dt.date | None = None,
    duties: str = "",
):
    """A vanguard post (``kind="vanguard"``) or a responsibility zone (``"zone"``)."""
    model = POST_MODELS.get(kind)
    if model is None:
        raise DomainError(
            "类型无效，可选：党员先锋岗（vanguard）、党员责任区（zone）", field="kind"
        )
    title = _text(title, field="title", label="名称", limit=100)
    duties = _text(duties, field="duties", label="职责", limit=500, required=False)
    check_sensible_date(started_on, field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("结束日期不能早于开始日期", field="ended_on")
    if not holders:
        raise DomainError("请选择至少 1 名党员", field="holders")
    _members_within(holders, org, field="holders")
    post = model.objects.create(
        org=org, title=title, duties=duties, started_on=started_on, ended_on=ended_on
    )
    post.holders.set(holders)
    audit(
        actor=actor,
        action="create",
        obj=post,
        org=org,
        verb=f"设立{model._meta.verbose_name} {title}（{'、'.join(m.name for m in holders)[:60]}）",
    )
    return post


@transaction.atomic
def pledge_make(*, actor, member: Member, year: int, text: str) -> Pledge:
    year = _year(year)
    text = _text(text, field="text", label="承诺事项", limit=2000)
    if member.left_on is not None:
        raise DomainError(f"{member.name}已不在党组织名册中", field="member")
    if member.status not in (Member.Status.FULL, Member.Status.PROBATIONARY):
        raise DomainError("承诺践诺由党员（含预备党员）作出", field="member")
    if Pledge.objects.filter(member=member, year=year).exists():
        raise Conflict(f"{member.name}{year}年已作出承诺", field="year")
    pledge = Pledge.objects.create(member=member, year=year, text=text)
    audit(
        actor=actor,
        action="create",
        obj=pledge,
        org=member.org,
        verb=f"{member.name}作出{year}年承诺",
    )
    return pledge


@transaction.atomic
def pledge_fulfil(*, actor, pledge: Pledge, result: str, rating: str) -> Pledge:
    """The branch records the fulfilment (践诺) and rates it."""
    if rating not in Pledge.Rating.values:
        raise DomainError(f"评定无效，可选：{choices_text(Pledge.Rating.choices)}", field="rating")
    result = _text(result, field="result", label="践诺情况", limit=5000)
    pledge = (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("member__org")
        .get(pk=pledge.pk)
    )
    before = pledge.rating
    pledge.result, pledge.rating = result, rating
    pledge.rated_on = timezone.localdate()
    pledge.rated_by = actor_user(actor)
    pledge.save(update_fields=["result", "rating", "rated_on", "rated_by", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=pledge,
        org=pledge.member.org,
        verb=f"评定{pledge.member.name}{pledge.year}年践诺情况",
        changes={"rating": [before or None, rating]},
    )
    return pledge
