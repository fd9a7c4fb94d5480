"""Objects for the scope matrix (tests/test_scope_matrix.py): for each path parameter the
dues app introduces, an object of branch A and one of branch B, made through the services."""

from __future__ import annotations

import datetime as dt

from dangjian.core.calendar import add_months, month_start
from dangjian.dues import services
from tests.factories import SYSTEM


def scope_objects(world) -> dict[str, tuple[int, int]]:
    month = add_months(month_start(dt.date.today()), -1)
    made = {}
    for key, member in (("a", world.members_a[2]), ("b", world.members_b[1])):
        services.dues_profile_set(
            actor=SYSTEM, member=member, category="employed", effective_month=month, base="4000"
        )
        payment = services.dues_payment_record(
            actor=SYSTEM, member=member, months=[month], paid_on=dt.date.today(), method="cash"
        )
        disclosure = services.dues_disclosure_publish(
            actor=SYSTEM, org=member.org, year=month.year, usage="全额上缴上级党委。"
        )
        made[key] = (member.pk, payment.pk, disclosure.pk)
    return {
        "member_id": (made["a"][0], made["b"][0]),
        "payment_id": (made["a"][1], made["b"][1]),
        "disclosure_id": (made["a"][2], made["b"][2]),
    }


def write_payloads(world) -> dict:
    month = add_months(month_start(dt.date.today()), -1)
    return {
        ("POST", "/api/v1/dues/payments/{payment_id}/void"): {"reason": "登记错误"},
        ("POST", "/api/v1/members/{member_id}/dues/profile"): {
            "category": "employed",
            "effective_month": month.strftime("%Y-%m"),
            "base": "5000",
        },
    }
