"""The demo accounts (see ``DEMO_ACCOUNTS`` in ``dangjian.core.demo``): the platform
admin first (backbone step, rank 10: it is the actor of everything after), then, once the
members exist, the others linked to members where a real person would be (rank 40).
"""

from __future__ import annotations

import datetime as dt

from dangjian.accounts.models import User
from dangjian.accounts.services import user_create
from dangjian.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoContext
from dangjian.members.demo import eligible, seniority
from dangjian.orgs.services import position_assign


def build_admin(ctx: DemoContext) -> None:
    """The platform admin: the first account of an empty system, as ``createsuperuser``."""
    admin = User(username="admin", name="平台管理员", is_superuser=True, is_staff=True)
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    ctx.actor = admin
    ctx.accounts = {"admin": admin}


def _days(ctx: DemoContext, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=ctx.random.randint(low, high))


def build(ctx: DemoContext) -> None:
    """The demo accounts besides admin: work committee and committee staff, the featured
    branch's secretary (its most senior member) and a plain member (its most junior)."""
    actor, by_org = ctx.actor, ctx.members_by_org
    featured = ctx.featured
    organ = ctx.branches[0]
    committee = ctx.committees[0]

    def pick(members: list, skip: set[int]):
        for m in eligible(members, ctx.today):
            if m.pk not in skip:
                return m
        return members[0]

    wc_staff = pick(by_org[organ.pk], set())
    ranked = sorted(eligible(by_org[featured.pk], ctx.today), key=seniority)
    secretary, plain = ranked[0], ranked[-1]  # the most senior and the most junior
    committee_branches = [b for b in ctx.branches if b.parent_id == committee.pk]
    office = next(b for b in committee_branches if b != featured)
    committee_staff = pick(by_org[office.pk], set())
    accounts = {
        "gongwei": user_create(
            actor=actor,
            username="gongwei",
            password=DEMO_PASSWORD,
            member=wc_staff,
            must_change_password=False,
        ),
        "dangwei": user_create(
            actor=actor,
            username="dangwei",
            password=DEMO_PASSWORD,
            member=committee_staff,
            must_change_password=False,
        ),
        "shuji": user_create(
            actor=actor,
            username="shuji",
            password=DEMO_PASSWORD,
            member=secretary,
            must_change_password=False,
        ),
        "dangyuan": user_create(
            actor=actor,
            username="dangyuan",
            password=DEMO_PASSWORD,
            member=plain,
            must_change_password=False,
        ),
    }
    position_assign(
        actor=actor,
        org=ctx.work_committee,
        role="staff",
        user=accounts["gongwei"],
        started_on=ctx.today - _days(ctx, 200, 2000),
    )
    position_assign(
        actor=actor,
        org=committee,
        role="staff",
        user=accounts["dangwei"],
        started_on=ctx.today - _days(ctx, 200, 2000),
    )
    every = {**ctx.accounts, **accounts}
    ctx.accounts = {name: every[name] for name, _ in DEMO_ACCOUNTS}
