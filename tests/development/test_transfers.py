"""Transfers end to end: letter (TRF-1), acceptance or return (TRF-2), dues paid-to (TRF-3)."""

import datetime as dt

import pytest

from dangjian.core.calendar import add_months
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.development import services
from dangjian.members.models import MemberEvent
from tests.factories import SYSTEM, give_role, make_user

TODAY = dt.date.today()


@pytest.fixture
def sec_d(world):
    user = make_user("sec_d", member=world.members_d[0])
    give_role(user, world.d, "secretary")
    return user


def _json(resp):
    assert resp.status_code in (200, 201), resp.content
    return resp.json()


def _pay_dues(member, month):
    from dangjian.dues import services as dues

    dues.dues_profile_set(
        actor=SYSTEM, member=member, category="employed", effective_month=month, base="4000"
    )
    dues.dues_payment_record(
        actor=SYSTEM, member=member, months=[month], paid_on=TODAY, method="cash"
    )


def test_transfer_within_the_system_moves_the_member_only_on_acceptance(world, api_for, sec_d):
    member = world.members_a[2]
    month = add_months(TODAY.replace(day=1), -1)
    _pay_dues(member, month)
    sec_a = api_for(world.user("sec_a"))
    body = _json(
        sec_a.post(
            "/api/v1/development/transfers",
            {"member": member.pk, "applied_on": str(TODAY - dt.timedelta(days=2)),
             "to_org": world.d.pk},
            content_type="application/json",
        )
    )  # fmt: skip
    tid = body["id"]
    assert body["current_step"] == 2 and body["target_org"]["id"] == world.d.pk
    body = _json(
        sec_a.post(
            f"/api/v1/development/transfers/{tid}/steps/2",
            {"done_on": str(TODAY - dt.timedelta(days=1)), "data": {"letter_number": "财转-001"}},
            content_type="application/json",
        )
    )
    letter = body["steps"][1]["data"]
    assert letter["valid_until"] == str(add_months(TODAY - dt.timedelta(days=1), 3))
    assert letter["paid_to"] == f"{month:%Y-%m}"
    member.refresh_from_db()
    assert member.org_id == world.a.pk  # TRF-2: still the sending branch's member
    # The sending secretary cannot accept on the receiver's behalf.
    resp = sec_a.post(
        f"/api/v1/development/transfers/{tid}/steps/3",
        {"done_on": str(TODAY), "data": {}},
        content_type="application/json",
    )
    assert resp.status_code == 403
    # The receiving secretary sees the incoming transfer and accepts it.
    incoming = _json(api_for(sec_d).get("/api/v1/development/transfers"))
    assert [r["id"] for r in incoming["results"]] == [tid]
    body = _json(
        api_for(sec_d).post(
            f"/api/v1/development/transfers/{tid}/steps/3",
            {"done_on": str(TODAY), "data": {}},
            content_type="application/json",
        )
    )
    assert body["status"] == "done"
    member.refresh_from_db()
    assert member.org_id == world.d.pk
    event = MemberEvent.objects.filter(member=member, kind="org").first()
    assert event.from_org_id == world.a.pk and "财转-001" in event.reason


def test_acceptance_after_the_letter_expires_is_refused(world, sec_d):
    member = world.members_a[2]
    applied = add_months(TODAY, -4)
    case = services.transfer_create(actor=SYSTEM, member=member, applied_on=applied, to_org=world.d)
    issued = applied + dt.timedelta(days=1)
    case = services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=issued, data={"letter_number": "L-9"}
    )
    valid_until = add_months(issued, 3)
    with pytest.raises(DomainError) as exc:
        services.case_step_record(
            actor=sec_d, case=case, number=3, done_on=valid_until + dt.timedelta(days=1)
        )
    assert exc.value.rule == "TRF-1"
    case = services.case_step_record(actor=sec_d, case=case, number=3, done_on=valid_until)
    assert case.status == "done"


def test_receiving_org_returns_and_member_stays(world, sec_d):
    member = world.members_a[2]
    case = services.transfer_create(actor=SYSTEM, member=member, applied_on=TODAY, to_org=world.d)
    services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=TODAY, data={"letter_number": "L-1"}
    )
    with pytest.raises(Forbidden):
        services.transfer_return(actor=world.user("sec_a"), case=case, reason="x")
    case = services.transfer_return(actor=sec_d, case=case, reason="介绍信信息有误")
    assert case.status == "returned" and case.close_reason == "介绍信信息有误"
    member.refresh_from_db()
    assert member.org_id == world.a.pk
    # A new transfer may then be opened.
    services.transfer_create(actor=SYSTEM, member=member, applied_on=TODAY, to_org=world.d)


def test_transfer_out_of_the_system_takes_the_member_off_the_rolls(world):
    member = world.members_a[3]
    case = services.transfer_create(
        actor=world.user("sec_a"), member=member, applied_on=TODAY, destination="外省某厅党支部"
    )
    services.case_step_record(
        actor=world.user("sec_a"), case=case, number=2, done_on=TODAY,
        data={"letter_number": "L-2"},
    )  # fmt: skip
    case = services.case_step_record(actor=world.user("sec_a"), case=case, number=3, done_on=TODAY)
    member.refresh_from_db()
    assert member.left_on == TODAY and "外省某厅党支部" in member.left_reason
    assert case.status == "done"


def test_member_may_apply_for_their_own_transfer(world):
    me = world.user("member_a")
    case = services.transfer_create(
        actor=me, member=world.members_a[1], applied_on=TODAY, to_org=world.b
    )
    assert case.current_step == 2
    with pytest.raises(Forbidden):
        services.transfer_create(
            actor=me, member=world.members_a[2], applied_on=TODAY, to_org=world.b
        )


def test_transfer_input_is_checked(world):
    m = world.members_a[2]
    with pytest.raises(DomainError):
        services.transfer_create(actor=SYSTEM, member=m, applied_on=TODAY)
    with pytest.raises(DomainError):
        services.transfer_create(actor=SYSTEM, member=m, applied_on=TODAY, to_org=world.a)
    with pytest.raises(DomainError):
        services.transfer_create(actor=SYSTEM, member=m, applied_on=TODAY, to_org=world.c1)
    services.transfer_create(actor=SYSTEM, member=m, applied_on=TODAY, to_org=world.b)
    with pytest.raises(Conflict):
        services.transfer_create(actor=SYSTEM, member=m, applied_on=TODAY, to_org=world.d)


def test_letter_numbers_are_unique(world):
    one = services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=TODAY, to_org=world.b
    )
    two = services.transfer_create(
        actor=SYSTEM, member=world.members_a[3], applied_on=TODAY, to_org=world.b
    )
    services.case_step_record(
        actor=SYSTEM, case=one, number=2, done_on=TODAY, data={"letter_number": "L-7"}
    )
    with pytest.raises(DomainError):
        services.case_step_record(
            actor=SYSTEM, case=two, number=2, done_on=TODAY, data={"letter_number": "L-7"}
        )


def test_letter_prints_as_pdf_once_issued(world, client_for):
    from django.urls import reverse

    case = services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=TODAY, to_org=world.d
    )
    c = client_for(world.user("sec_a"))
    url = reverse("development:transfer_letter", args=[case.pk])
    assert c.get(url).status_code == 404
    services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=TODAY, data={"letter_number": "L-PDF"}
    )
    resp = c.get(url)
    assert resp.status_code in (200, 503)
    if resp.status_code == 200:
        assert resp.content.startswith(b"%PDF")
    assert client_for(world.user("sec_b")).get(url).status_code == 404


def test_receiving_secretary_is_notified_when_the_letter_is_issued(world, sec_d):
    from dangjian.core.models import Notification

    case = services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=TODAY, to_org=world.d
    )
    assert not Notification.objects.filter(user=sec_d).exists()
    services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=TODAY, data={"letter_number": "L-N"}
    )
    note = Notification.objects.get(user=sec_d)
    assert "接收方党组织接收" in note.title and note.link.endswith(f"/{case.pk}/")


def test_open_development_case_moves_with_the_member(world, sec_d):
    from tests.development.helpers import make_applicant, run_to

    applicant = make_applicant(world)
    dev = run_to(world, services.development_case_open(actor=SYSTEM, member=applicant), 3)
    case = services.transfer_create(
        actor=SYSTEM, member=applicant, applied_on=TODAY, to_org=world.d
    )
    services.case_step_record(
        actor=SYSTEM, case=case, number=2, done_on=TODAY, data={"letter_number": "L-DEV"}
    )
    services.case_step_record(actor=sec_d, case=case, number=3, done_on=TODAY)
    dev.refresh_from_db()
    assert dev.org_id == world.d.pk
    assert dev.current_step == 4
