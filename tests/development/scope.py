"""Objects of the development app for the scope matrix (tests/test_scope_matrix.py)."""

from __future__ import annotations

import datetime as dt

from dangjian.development import services
from dangjian.orgs.services import board_create
from tests.factories import SYSTEM, make_member

PDF = b"%PDF-1.4\n% scope matrix\n"


def _objects_for(branch, *, to_org=None, destination=""):
    applicant = make_member(
        branch, "范申请", status="applicant", born=dt.date(1995, 1, 1),
        applied_at=dt.date(2025, 1, 1),
    )  # fmt: skip
    case = services.development_case_open(actor=SYSTEM, member=applicant)
    material = services.material_add(
        actor=SYSTEM, case=case, step=1, kind="入党申请书", filename="申请书.pdf", content=PDF
    )
    mover = make_member(branch, "易转接")
    transfer = services.transfer_create(
        actor=SYSTEM,
        member=mover,
        applied_on=dt.date.today(),
        to_org=to_org,
        destination=destination,
    )
    services.case_step_record(
        actor=SYSTEM,
        case=transfer,
        number=2,
        done_on=dt.date.today(),
        data={"letter_number": f"SCOPE-{branch.pk}"},
    )
    board_create(
        actor=SYSTEM,
        org=branch,
        term_start=dt.date.today() - dt.timedelta(days=3 * 365 - 60),
        term_end=dt.date.today() + dt.timedelta(days=60),
    )
    election = services.election_open(actor=SYSTEM, org=branch)
    return case.pk, transfer.pk, election.pk, material.pk


def scope_objects(world) -> dict[str, tuple[int, int]]:
    a = _objects_for(world.a, to_org=world.d)
    b = _objects_for(world.b, destination="省外某单位党支部")
    return {
        "case_id": (a[0], b[0]),
        "transfer_id": (a[1], b[1]),
        "election_id": (a[2], b[2]),
        "material_id": (a[3], b[3]),
        "n": (1, 1),
    }


def write_payloads(world) -> dict:
    """A valid body for each API write of the development app that takes a path id."""
    today = dt.date.today().isoformat()
    payloads = {}
    for kind, param in (
        ("cases", "case_id"),
        ("transfers", "transfer_id"),
        ("elections", "election_id"),
    ):
        base = f"/api/v1/development/{kind}/{{{param}}}"
        payloads |= {
            ("POST", f"{base}/steps/{{n}}"): {"done_on": today, "note": "范围测试"},
            ("POST", f"{base}/steps/{{n}}/correct"): {"done_on": today, "reason": "更正日期"},
            ("POST", f"{base}/steps/{{n}}/materials"): {"file": ("材料.pdf", PDF), "kind": "材料"},
            ("POST", f"{base}/cancel"): {"reason": "不再办理"},
        }
    payloads |= {
        ("POST", "/api/v1/development/cases/{case_id}/reviews"): {"reviewed_on": today},
        ("POST", "/api/v1/development/cases/{case_id}/extend-probation"): {
            "months": 6,
            "decided_on": today,
            "reason": "需要继续考察",
        },
        ("POST", "/api/v1/development/transfers/{transfer_id}/return"): {"reason": "材料不全"},
    }
    return payloads
