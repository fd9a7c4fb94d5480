"""Builders for test data. Everything goes through the services, as in production."""

from __future__ import annotations

import datetime as dt
import itertools

from dangjian.accounts.models import User
from dangjian.core.actors import SYSTEM
from dangjian.core.idnumber import make_id_number
from dangjian.members.models import Member
from dangjian.members.services import member_create
from dangjian.orgs.models import Org
from dangjian.orgs.services import org_create, position_assign

PASSWORD = "Test@2026pass"
_seq = itertools.count(1)


def make_org(name: str, kind: str, parent: Org | None = None) -> Org:
    return org_create(actor=SYSTEM, name=name, kind=kind, parent=parent)


def id_number_for(born: dt.date, gender: str = "male") -> str:
    return make_id_number("330203", born, next(_seq), gender)


def make_member(
    org: Org,
    name: str = "张三",
    *,
    status: str = "full",
    gender: str = "male",
    born: dt.date = dt.date(1985, 3, 12),
    **extra,
) -> Member:
    stages = {
        "applicant": {"applied_at": dt.date(2005, 1, 1)},
        "activist": {"applied_at": dt.date(2005, 1, 1), "activist_at": dt.date(2005, 6, 1)},
        "candidate": {
            "applied_at": dt.date(2005, 1, 1),
            "activist_at": dt.date(2005, 6, 1),
            "candidate_at": dt.date(2006, 7, 1),
        },
        "probationary": {
            "applied_at": dt.date(2005, 1, 1),
            "activist_at": dt.date(2005, 6, 1),
            "candidate_at": dt.date(2006, 7, 1),
            "joined_at": dt.date(2007, 1, 1),
        },
        "full": {
            "applied_at": dt.date(2005, 1, 1),
            "activist_at": dt.date(2005, 6, 1),
            "candidate_at": dt.date(2006, 7, 1),
            "joined_at": dt.date(2007, 1, 1),
            "full_at": dt.date(2008, 1, 1),
        },
    }[status]
    data = {
        "name": name,
        "gender": gender,
        "birth_date": born,
        "id_number": id_number_for(born, gender),
        "org": org,
        "status": status,
        **stages,
        **extra,
    }
    return member_create(actor=SYSTEM, **data)


def make_user(username: str, *, member: Member | None = None, superuser: bool = False) -> User:
    user = User(
        username=username,
        name=member.name if member else username,
        member=member,
        is_superuser=superuser,
        is_staff=superuser,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def give_role(user: User, org: Org, role: str = "secretary"):
    return position_assign(actor=SYSTEM, org=org, role=role, user=user)
