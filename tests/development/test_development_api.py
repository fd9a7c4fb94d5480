import datetime as dt

from dangjian.development.models import Case
from dangjian.members.models import Member, MemberEvent
from tests.development.helpers import (
    PDF,
    SUPERIOR_STEPS,
    make_applicant,
    step_data,
)


def _post_step(api, case_id, n, done_on, data):
    return api.post(
        f"/api/v1/development/cases/{case_id}/steps/{n}",
        {"done_on": str(done_on), "data": data},
        content_type="application/json",
    )


def test_opening_a_case_returns_25_steps_in_5_stages(world, api_for):
    member = make_applicant(world)
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/development/cases", {"member": member.pk}, content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert len(body["steps"]) == 25
    assert {s["stage"] for s in body["steps"]} == {1, 2, 3, 4, 5}
    assert body["steps"][0]["state"] == "current"
    assert body["steps"][1]["state"] == "locked"
    assert body["steps"][0]["materials_required"] == ["入党申请书"]


def test_whole_path_drives_member_status_and_dates(world, api_for):
    member = make_applicant(world)
    sec, sup = api_for(world.user("sec_a")), api_for(world.user("c1_admin"))
    case_id = sec.post(
        "/api/v1/development/cases", {"member": member.pk}, content_type="application/json"
    ).json()["id"]
    statuses = {}
    for n in range(1, 26):
        done_on, data = step_data(world, n)
        client = sup if n in SUPERIOR_STEPS else sec
        for kind in Case.objects.get(pk=case_id).procedure.steps.get(number=n).materials:
            from django.core.files.uploadedfile import SimpleUploadedFile

            up = client.post(
                f"/api/v1/development/cases/{case_id}/steps/{n}/materials",
                {"kind": kind, "file": SimpleUploadedFile("x.pdf", PDF)},
            )
            assert up.status_code == 201, up.content
        resp = _post_step(client, case_id, n, done_on, data)
        assert resp.status_code == 200, (n, resp.content)
        statuses[n] = Member.objects.get(pk=member.pk).status
    member.refresh_from_db()
    assert statuses[2] == "applicant"
    assert statuses[3] == "activist"
    assert statuses[7] == "candidate"
    assert statuses[16] == "candidate"
    assert statuses[17] == "probationary"
    assert statuses[24] == "full"
    assert member.applied_at == dt.date(2023, 1, 5)
    assert member.activist_at == dt.date(2023, 3, 1)
    assert member.candidate_at == dt.date(2024, 3, 5)
    assert member.joined_at == dt.date(2024, 7, 1)
    assert member.full_at == dt.date(2025, 7, 1)
    assert member.group_id == world.ga.pk
    case = Case.objects.get(pk=case_id)
    assert case.status == "done" and case.closed_on == dt.date(2025, 8, 10)
    kinds = list(
        MemberEvent.objects.filter(member=member, kind="status").values_list("to_status", flat=True)
    )
    assert set(kinds) >= {"activist", "candidate", "probationary", "full"}
