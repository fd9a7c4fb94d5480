"""A hand-made committee with a hand-made year of history (2026), for every cell of the
tables. ``HISTORY`` below says, member by member, what happened and where it is counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from dangjian.members import services as members
from tests.factories import SYSTEM, make_org
from tests.factories import make_member as _make_member

YEAR = 2026
AS_OF = dt.date(2026, 12, 31)


@dataclass
class Book:
    w: object  # 机关工委
    c: object  # 党委 (the org the tables are for)
    a: object  # 支部 A
    ga: object  # 党小组 in A
    b: object  # 支部 B
    x: object  # a branch outside C (under W)
    m: dict  # name → Member


def make_member(org, name, **kw):
    return _make_member(org, name, **kw)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_book() -> Book:
    w = make_org("统计测试工委", "work_committee")
    c = make_org("统计测试机关党委", "committee", w)
    a = make_org("统计一支部", "branch", c)
    ga = make_org("统计一支部第一党小组", "group", a)
    b = make_org("统计二支部", "branch", c)
    x = make_org("统计外单位支部", "branch", w)
    m = {}
    # 甲: a full member all year in A.
    m["甲"] = make_member(a, "甲", gender="female", born=d("1990-05-01"), education="postgraduate")
    # 乙: probationary since 2025-06-01 in A, made full on 2026-06-01.
    m["乙"] = make_member(
        a,
        "乙",
        status="probationary",
        born=d("1998-01-01"),
        education="university",
        joined_at=d("2025-06-01"),
    )
    members.member_update(
        actor=SYSTEM,
        member=m["乙"],
        on=d("2026-06-01"),
        reason="按期转为正式党员",
        status="full",
        full_at=d("2026-06-01"),
    )
    # 丙: a candidate in A (回族), admitted as probationary on 2026-04-01.
    m["丙"] = make_member(
        a,
        "丙",
        status="candidate",
        gender="female",
        ethnicity="回族",
        born=d("1995-07-01"),
        education="college",
        candidate_at=d("2025-03-01"),
    )
    members.member_update(
        actor=SYSTEM,
        member=m["丙"],
        on=d("2026-04-01"),
        reason="支部大会接收为预备党员",
        status="probationary",
        joined_at=d("2026-04-01"),
    )
    # 丁: full in B, moved to X (outside C) on 2026-05-10.
    m["丁"] = make_member(b, "丁")
    members.member_update(actor=SYSTEM, member=m["丁"], on=d("2026-05-10"), org=x)
    # 戊: full and retired in X, moved into A on 2026-03-01; education not filled in.
    m["戊"] = make_member(x, "戊", born=d("1960-01-01"), is_retired=True)
    members.member_update(actor=SYSTEM, member=m["戊"], on=d("2026-03-01"), org=a)
    # 己: full in B, died on 2026-08-01.
    m["己"] = make_member(b, "己")
    members.member_leave(actor=SYSTEM, member=m["己"], on=d("2026-08-01"), reason="病故")
    # 庚: full in A, transferred out of the system on 2026-02-01.
    m["庚"] = make_member(a, "庚")
    members.member_leave(
        actor=SYSTEM, member=m["庚"], on=d("2026-02-01"), reason="组织关系转出至外省某单位"
    )
    # 辛: full in B, left the party in 2025 (before the year).
    m["辛"] = make_member(b, "辛")
    members.member_leave(actor=SYSTEM, member=m["辛"], on=d("2025-10-01"), reason="退党")
    # 壬: probationary in B since 2025-12-01.
    m["壬"] = make_member(
        b, "壬", status="probationary", education="college", joined_at=d("2025-12-01")
    )
    # 癸: full, came onto B's rolls from outside the platform this year.
    m["癸"] = make_member(b, "癸", education="university", reason="组织关系转入")
    # 子: an applicant in A, never counted.
    m["子"] = make_member(a, "子", status="applicant")
    return Book(w, c, a, ga, b, x, m)


@pytest.fixture
def book(db) -> Book:
    return make_book()


@pytest.fixture
def people(book):
    """c_staff works for C; sec_a is A's secretary; sec_x is the secretary of X (outside C)."""
    from tests.factories import give_role, make_user

    users = {
        "c_staff": make_user("c_staff"),
        "sec_a": make_user("stat_sec_a", member=book.m["甲"]),
        "sec_x": make_user("sec_x"),
        "plain": make_user("plain", member=book.m["壬"]),
    }
    give_role(users["c_staff"], book.c, "staff")
    give_role(users["sec_a"], book.a, "secretary")
    give_role(users["sec_x"], book.x, "secretary")
    return users
