"""The pages: case list (query count), timeline, step form, materials upload."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.development import services
from dangjian.development.models import Case, Material
from tests.development.helpers import PDF, make_applicant, run_to
from tests.factories import SYSTEM


def _case(world):
    m = make_applicant(world)
    return services.development_case_open(actor=SYSTEM, member=m)


def test_case_list_page_shows_deadlines_with_bounded_queries(
    world, client_for, django_assert_max_num_queries
):
    for i in range(6):
        m = make_applicant(world, name=f"申请{i}")
        case = services.development_case_open(actor=SYSTEM, member=m)
        services.case_step_record(actor=SYSTEM, case=case, number=1, done_on="2023-01-05")
    c = client_for(world.user("sec_a"))
    with django_assert_max_num_queries(20):
        resp = c.get(reverse("development:cases"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.count("逾期") >= 6 and "党组织派人谈话" in body


def test_timeline_shows_done_current_and_locked(world, client_for):
    case = run_to(world, _case(world), 2)
    resp = client_for(world.user("sec_a")).get(reverse("development:case_detail", args=[case.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert body.count("已办理") >= 2
    assert "办理第3步：推荐和确定入党积极分子" in body
    assert "未开始" in body
    assert "第5阶段" in body


def test_step_form_records_and_a_broken_rule_shows_the_message(world, client_for):
    case = run_to(world, _case(world), 1)
    c = client_for(world.user("sec_a"))
    url = reverse("development:case_step", args=[case.pk, 2])
    resp = c.post(url, {"done_on": "2023-02-06"})
    assert resp.status_code == 422
    assert "DEV-2" in resp.content.decode() and "2023-02-05" in resp.content.decode()
    resp = c.post(url, {"done_on": "2023-02-05"})
    assert resp.status_code == 302
    assert Case.objects.get(pk=case.pk).current_step == 3


def test_contacts_form_posts_member_ids(world, client_for):
    case = run_to(world, _case(world), 4)
    c = client_for(world.user("sec_a"))
    resp = c.post(
        reverse("development:case_step", args=[case.pk, 5]),
        {"done_on": "2023-03-15", "contacts": [world.members_a[2].pk]},
    )
    assert resp.status_code == 302
    rec = Case.objects.get(pk=case.pk).records.get(number=5)
    assert rec.data["contacts"] == [world.members_a[2].pk]


def test_material_upload_checks_content_and_size(world, client_for, settings):
    case = _case(world)
    c = client_for(world.user("sec_a"))
    url = reverse("development:case_material", args=[case.pk, 1])
    c.post(url, {"kind": "入党申请书", "file": SimpleUploadedFile("a.pdf", b"MZ\x90 not a pdf")})
    assert not Material.objects.exists()
    c.post(url, {"kind": "入党申请书", "file": SimpleUploadedFile("a.pdf", PDF)})
    material = Material.objects.get()
    assert material.content_type == "application/pdf" and material.kind == "入党申请书"
    settings.UPLOAD_MAX_BYTES = 10
    c.post(url, {"kind": "入党申请书", "file": SimpleUploadedFile("b.pdf", PDF)})
    assert Material.objects.count() == 1
    resp = c.get(reverse("development:material_download", args=[material.pk]))
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PDF


def test_material_for_a_step_not_started_is_refused(world, api_for):
    case = _case(world)
    resp = api_for(world.user("sec_a")).post(
        f"/api/v1/development/cases/{case.pk}/steps/3/materials",
        {"kind": "其他材料", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert resp.status_code == 409


def test_transfer_and_election_pages_render(world, client_for):
    from dangjian.orgs.services import board_create

    services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=dt.date.today(), to_org=world.b
    )
    board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2024, 1, 1), term_end=dt.date(2027, 1, 1)
    )
    election = services.election_open(actor=SYSTEM, org=world.a)
    c = client_for(world.user("sec_a"))
    assert "国库处党支部" in c.get(reverse("development:transfers")).content.decode()
    page = c.get(reverse("development:election_detail", args=[election.pk]))
    assert page.status_code == 200 and "提出换届请示" in page.content.decode()
    assert c.get(reverse("development:elections")).status_code == 200


def test_open_case_form_creates_the_case(world, client_for):
    m = make_applicant(world)
    resp = client_for(world.user("sec_a")).post(reverse("development:cases"), {"member": m.pk})
    assert resp.status_code == 302
    assert Case.objects.filter(member=m).exists()


def test_retried_upload_is_stored_once(world):
    case = _case(world)
    one = services.material_add(
        actor=SYSTEM, case=case, step=1, kind="入党申请书", filename="a.pdf", content=PDF
    )
    two = services.material_add(
        actor=SYSTEM, case=case, step=1, kind="入党申请书", filename="a.pdf", content=PDF
    )
    assert one.pk == two.pk and Material.objects.count() == 1


def test_election_runs_through_the_page_forms(world, client_for):
    from dangjian.core.calendar import add_months
    from dangjian.orgs.models import Board
    from dangjian.orgs.services import board_create

    today = dt.date.today()
    board_create(
        actor=SYSTEM, org=world.a, term_start=add_months(today, -34), term_end=add_months(today, 2)
    )
    sec, sup = client_for(world.user("sec_a")), client_for(world.user("c1_admin"))
    resp = sec.post(reverse("development:elections"), {"org": world.a.pk})
    case = Case.objects.get(org=world.a, procedure__code="election")
    assert resp.status_code == 302

    def step(client, n, **fields):
        resp = client.post(
            reverse("development:election_step", args=[case.pk, n]), {"done_on": today, **fields}
        )
        assert resp.status_code == 302, resp.content.decode()[:2000]

    ids = [m.pk for m in world.members_a]
    step(sec, 1, seats=3)
    step(sup, 2)
    step(sec, 3, candidates=ids)
    votes = {f"vote_{pk}": v for pk, v in zip(ids, [4, 3, 3, 1], strict=True)}
    step(sec, 4, voting_members=4, present=4, **votes)
    page = sup.get(reverse("development:election_detail", args=[case.pk])).content.decode()
    assert "职务" in page
    roles = {f"role_{ids[0]}": "secretary", f"role_{ids[1]}": "organizer",
             f"role_{ids[2]}": "publicity"}  # fmt: skip
    step(sup, 5, term_start=today, term_end=add_months(today, 36), **roles)
    case.refresh_from_db()
    assert case.status == "done"
    assert Board.objects.get(org=world.a, is_current=True).term_end == add_months(today, 36)


def test_member_applies_to_transfer_on_the_phone_page(world, client_for):
    c = client_for(world.user("member_a"))
    page = c.get(reverse("development:mine"))
    assert page.status_code == 200 and "申请组织关系转接" in page.content.decode()
    resp = c.post(reverse("development:mine"), {"to_org": world.b.pk, "note": "工作调动"})
    assert resp.status_code == 302
    case = Case.objects.get(member=world.members_a[1], procedure__code="transfer")
    assert case.target_org_id == world.b.pk and case.current_step == 2
    page = c.get(reverse("development:mine")).content.decode()
    assert "开具组织关系介绍信" in page
    resp = c.post(reverse("development:mine"), {})
    body = resp.content.decode()
    assert resp.status_code == 200 and "二选一" in body, body[body.find("<main") :][:1500]


def test_side_actions_follow_where_the_case_stands(world, client_for):
    c = client_for(world.user("sec_a"))
    case = run_to(world, _case(world), 2)
    body = c.get(reverse("development:case_detail", args=[case.pk])).content.decode()
    assert "登记考察（每次考察后登记）" not in body and "延长预备期" not in body
    case = run_to(world, case, 4)  # an activist under review (after DEV-3, before DEV-7)
    body = c.get(reverse("development:case_detail", args=[case.pk])).content.decode()
    assert "登记考察（每次考察后登记）" in body and "延长预备期" not in body
    case = run_to(world, case, 17)  # approved as probationary member
    body = c.get(reverse("development:case_detail", args=[case.pk])).content.decode()
    assert "登记考察（每次考察后登记）" not in body and "延长预备期" in body


def test_receiving_branch_sees_the_return_action_only_while_the_transfer_waits(world, client_for):
    from tests.factories import give_role, make_user

    case = services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=dt.date.today(), to_org=world.d
    )
    sec_d = make_user("sec_d_pages")
    give_role(sec_d, world.d)
    c = client_for(sec_d)
    url = reverse("development:transfer_detail", args=[case.pk])
    assert "接收方退回" not in c.get(url).content.decode()
    services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=dt.date.today(), data={"letter_number": "P-1"}
    )
    assert "接收方退回" in c.get(url).content.decode()


def test_the_superior_corrects_a_step_on_its_own_page_and_keeps_what_was_typed(world, client_for):
    """Step 5 (contacts) opens filled with what was recorded; an error (no reason) keeps the
    typed date and the chosen contact; a valid correction saves both and keeps the history."""
    from dangjian.development.models import CaseStep

    case = run_to(world, _case(world), 6)
    url = reverse("development:case_correct", args=[case.pk, 5])
    c = client_for(world.user("c1_admin"))
    detail = c.get(reverse("development:case_detail", args=[case.pk])).content.decode()
    assert url in detail
    page = c.get(url).content.decode()
    assert 'value="2023-03-15"' in page and "王五" in page and "更正原因" in page
    body = {"done_on": "2023-03-16", "contacts": [world.members_a[3].pk], "reason": ""}
    resp = c.post(url, body)
    assert resp.status_code == 422
    html = resp.content.decode()
    assert 'value="2023-03-16"' in html and "赵六" in html and "is-invalid" in html
    assert CaseStep.objects.get(case=case, number=5).data["contacts"] == [world.members_a[2].pk]
    resp = c.post(url, body | {"reason": "培养联系人登记错误"})
    assert resp.status_code == 302
    rec = CaseStep.objects.get(case=case, number=5)
    assert rec.data["contacts"] == [world.members_a[3].pk]
    assert rec.done_on == dt.date(2023, 3, 16)
    assert rec.corrections[0]["reason"] == "培养联系人登记错误"
    # The branch secretary may not correct: sent back with the reason, nothing changed.
    resp = client_for(world.user("sec_a")).post(url, body | {"reason": "x"})
    assert resp.status_code == 302
    assert CaseStep.objects.get(case=case, number=5).done_on == dt.date(2023, 3, 16)
