"""Shared builders for development tests: an applicant and a case driven through steps."""

from __future__ import annotations

import datetime as dt

from dangjian.development import services
from tests.factories import SYSTEM, make_member

D = dt.date.fromisoformat
PDF = b"%PDF-1.4\n% test material\n"

# A complete, valid run of the 25 steps (dates relative to nothing: all in the past).
TIMELINE = {
    1: ("2023-01-05", {}),
    2: ("2023-01-20", {}),
    3: ("2023-03-01", {}),
    4: ("2023-03-10", {}),
    5: ("2023-03-15", "contacts"),
    6: ("2024-03-01", {"reviews": ["2023-08-01", "2024-01-15"]}),
    7: ("2024-03-05", {}),
    8: ("2024-03-10", {}),
    9: ("2024-03-15", "sponsors"),
    10: ("2024-04-01", {}),
    11: ("2024-05-10", {"days": 3, "hours": 0}),
    12: ("2024-06-01", {"notice_start": "2024-05-20", "notice_end": "2024-05-24"}),
    13: ("2024-06-10", {}),
    14: ("2024-06-15", {}),
    15: ("2024-07-01", {"voting_members": 4, "present": 4, "for": 4}),
    16: ("2024-07-10", {}),
    17: ("2024-08-01", {}),
    18: ("2024-08-10", {}),
    19: ("2024-08-15", "group"),
    20: ("2024-09-01", {}),
    21: ("2024-12-01", {}),
    22: ("2025-06-20", {}),
    23: ("2025-07-01", {"voting_members": 4, "present": 4, "for": 3}),
    24: ("2025-08-01", {}),
    25: ("2025-08-10", {}),
}
SUPERIOR_STEPS = {13, 16, 17, 18, 24}


def make_applicant(world, name="陈申请", born=dt.date(1990, 5, 1), applied="2023-01-05"):
    return make_member(world.a, name, status="applicant", born=born, applied_at=D(applied))


def step_data(world, n):
    done_on, data = TIMELINE[n]
    if data == "contacts":
        data = {"contacts": [world.members_a[2].pk]}
    elif data == "sponsors":
        data = {"sponsors": [world.members_a[2].pk, world.members_a[3].pk]}
    elif data == "group":
        data = {"group": world.ga.pk}
    return D(done_on), dict(data)


def upload_required(case, upto=25):
    for step in case.procedure.steps.filter(number__lte=upto):
        for kind in step.materials:
            services.material_add(
                actor=SYSTEM, case=case, step=step.number, kind=kind, filename="a.pdf", content=PDF
            )


def run_to(world, case, last, *, first=None):
    """Record steps up to ``last`` (inclusive) as the platform would, with valid data."""
    case.refresh_from_db()
    for n in range(first or case.current_step, last + 1):
        done_on, data = step_data(world, n)
        if n == 25:
            upload_required(case)
        case = services.case_step_record(
            actor=SYSTEM, case=case, number=n, done_on=done_on, data=data
        )
    return case
