"""Each constraint of RULES.md section C just inside and just outside its bound."""

import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.development import services
from dangjian.development.models import Case, CaseStep
from tests.development.helpers import D, make_applicant, run_to, step_data
from tests.factories import SYSTEM, make_member


@pytest.fixture
def case(world):
    member = make_applicant(world)
    return services.development_case_open(actor=SYSTEM, member=member)


def record(case, n, done_on, data=None, actor=SYSTEM):
    return services.case_step_record(
        actor=actor, case=case, number=n, done_on=D(done_on) if isinstance(done_on, str)
        else done_on, data=data or {},
    )  # fmt: skip


def refused(rule, case, n, done_on, data=None, actor=SYSTEM):
    with pytest.raises(DomainError) as exc:
        record(case, n, done_on, data, actor)
    assert exc.value.rule == rule, exc.value.message
    assert exc.value.status == 422
    case.refresh_from_db()
    assert case.current_step == n
    return exc.value


# DEV-1: at least 18 on the application date


def test_applicant_exactly_18_on_application_day_is_accepted(world):
    m = make_applicant(world, born=dt.date(2005, 1, 5), applied="2023-01-05")
    case = services.development_case_open(actor=SYSTEM, member=m)
    case = record(case, 1, "2023-01-05")
    assert case.current_step == 2


def test_applicant_one_day_short_of_18_is_refused_with_the_earliest_date(world):
    m = make_applicant(world, born=dt.date(2005, 1, 6), applied="2023-01-05")
    case = services.development_case_open(actor=SYSTEM, member=m)
    err = refused("DEV-1", case, 1, "2023-01-05")
    assert "年满18周岁" in err.message and "2023-01-06" in err.message


# DEV-2: talk within 1 month


def test_talk_exactly_one_month_after_application_is_accepted(world, case):
    run_to(world, case, 1)
    assert record(case, 2, "2023-02-05").current_step == 3


def test_talk_one_day_late_is_refused_citing_dev2_and_allowed_dates(world, case):
    run_to(world, case, 1)
    err = refused("DEV-2", case, 2, "2023-02-06")
    assert "2023-02-05" in err.message and "发展细则" in err.message


# DEV-5: 1–2 full members as contacts


@pytest.mark.parametrize("count,ok", [(0, False), (1, True), (2, True), (3, False)])
def test_contacts_count_bounds(world, case, count, ok):
    run_to(world, case, 4)
    data = {"contacts": [m.pk for m in world.members_a[1 : 1 + count]]}
    if ok:
        assert record(case, 5, "2023-03-15", data).current_step == 6
    else:
        refused("DEV-5", case, 5, "2023-03-15", data)


def test_probationary_contact_is_refused(world, case):
    run_to(world, case, 4)
    prob = make_member(world.a, "预备甲", status="probationary")
    err = refused("DEV-5", case, 5, "2023-03-15", {"contacts": [prob.pk]})
    assert "预备党员" in err.message


# DEV-6: six-monthly reviews


def test_review_exactly_six_months_apart_is_accepted(world, case):
    run_to(world, case, 5)
    data = {"reviews": ["2023-09-01", "2024-03-01"]}
    assert record(case, 6, "2024-03-01", data).current_step == 7


def test_review_gap_of_six_months_and_a_day_is_refused(world, case):
    run_to(world, case, 5)
    refused("DEV-6", case, 6, "2024-03-01", {"reviews": ["2023-09-02", "2024-03-01"]})


def test_reviews_logged_on_the_case_count_and_move_the_deadline(world, case):
    run_to(world, case, 3)
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2023, 9, 1) and case.next_due_rule == "DEV-6"
    case = services.case_review_add(actor=SYSTEM, case=case, reviewed_on="2023-08-01")
    assert case.next_due_on == dt.date(2024, 2, 1)
    services.case_review_add(actor=SYSTEM, case=case, reviewed_on="2024-01-15")
    run_to(world, case, 5)
    assert record(case, 6, "2024-03-01").current_step == 7


# DEV-7: at least 1 year as activist


def test_candidate_exactly_one_year_after_activist_is_accepted(world, case):
    run_to(world, case, 6)
    case = record(case, 7, "2024-03-01")
    case.member.refresh_from_db()
    assert case.member.status == "candidate"
    assert case.member.candidate_at == dt.date(2024, 3, 1)


def test_candidate_one_day_before_a_year_is_refused(world, case):
    run_to(world, case, 6)
    err = refused("DEV-7", case, 7, "2024-02-29")
    assert "2024-03-01" in err.message


# DEV-9: exactly 2 full members as sponsors


@pytest.mark.parametrize("count,ok", [(1, False), (2, True), (3, False)])
def test_sponsors_must_be_exactly_two(world, case, count, ok):
    run_to(world, case, 8)
    data = {"sponsors": [m.pk for m in world.members_a[1 : 1 + count]]}
    if ok:
        assert record(case, 9, "2024-03-15", data).current_step == 10
    else:
        refused("DEV-9", case, 9, "2024-03-15", data)


def test_sponsor_who_is_not_a_full_member_is_refused(world, case):
    run_to(world, case, 8)
    prob = make_member(world.a, "预备乙", status="probationary")
    refused("DEV-9", case, 9, "2024-03-15", {"sponsors": [world.members_a[1].pk, prob.pk]})


# DEV-11: 3 days or 24 hours of training


@pytest.mark.parametrize(
    "data,ok",
    [
        ({"days": 3}, True),
        ({"hours": 24}, True),
        ({"days": 2, "hours": 23}, False),
        ({}, False),
    ],
)
def test_training_bounds(world, case, data, ok):
    run_to(world, case, 10)
    if ok:
        assert record(case, 11, "2024-05-10", data).current_step == 12
    else:
        refused("DEV-11", case, 11, "2024-05-10", data)


# DEV-L1: 5 working days of public notice


def test_notice_of_five_working_days_is_accepted(world, case):
    run_to(world, case, 11)
    data = {"notice_start": "2024-05-20", "notice_end": "2024-05-24"}
    assert record(case, 12, "2024-06-01", data).current_step == 13


def test_notice_of_four_working_days_is_refused(world, case):
    run_to(world, case, 11)
    # Thursday to Tuesday: 4 working days across a weekend
    data = {"notice_start": "2024-05-23", "notice_end": "2024-05-28"}
    refused("DEV-L1", case, 12, "2024-06-01", data)


# DEV-13: no pre-review for someone leaving within 3 months


def test_pre_review_refused_when_leaving_within_three_months(world, case):
    run_to(world, case, 12)
    refused("DEV-13", case, 13, "2024-06-10", {"leaving_on": "2024-09-09"})
    assert record(case, 13, "2024-06-10", {"leaving_on": "2024-09-10"}).current_step == 14


# Step 15: MTG-2 vote, DEV-L2 (within 1 month of pre-review), DEV-10 (review valid 1 year)


@pytest.mark.parametrize(
    "vote,ok",
    [
        ({"voting_members": 4, "present": 3, "for": 3}, True),
        ({"voting_members": 4, "present": 2, "for": 2}, False),  # no quorum (> 2 needed)
        ({"voting_members": 4, "present": 4, "for": 2}, False),  # exactly half: not passed
        ({"voting_members": 5, "present": 5, "for": 5}, False),  # only 4 full members
    ],
)
def test_general_meeting_vote_is_judged_by_mtg2(world, case, vote, ok):
    run_to(world, case, 14)
    if ok:
        case = record(case, 15, "2024-07-01", vote)
        stored = case.records.get(number=15).data["result"]
        assert stored["rule"] == "MTG-2" and stored["passed"] is True
    else:
        refused("MTG-2", case, 15, "2024-07-01", vote)


def test_general_meeting_more_than_a_month_after_pre_review_is_refused(world, case):
    run_to(world, case, 14)
    vote = {"voting_members": 4, "present": 4, "for": 4}
    refused("DEV-L2", case, 15, "2024-07-11", vote)
    assert record(case, 15, "2024-07-10", vote).current_step == 16


def test_political_review_older_than_a_year_at_the_meeting_is_refused(world, case):
    run_to(world, case, 11)
    record(case, 12, "2024-06-01", {"notice_start": "2024-05-20", "notice_end": "2024-05-24"})
    record(case, 13, "2025-03-20")
    record(case, 14, "2025-03-25")
    vote = {"voting_members": 4, "present": 4, "for": 4}
    refused("DEV-10", case, 15, "2025-04-02", vote)
    assert record(case, 15, "2025-04-01", vote).current_step == 16


# DEV-17: approval within 3 months, at most 6 with a reason


def test_approval_exactly_three_months_after_meeting_is_accepted(world, case):
    run_to(world, case, 16)
    case = record(case, 17, "2024-10-01")
    case.member.refresh_from_db()
    assert case.member.status == "probationary"
    assert case.member.joined_at == dt.date(2024, 7, 1)


def test_approval_later_than_three_months_needs_a_special_reason(world, case):
    run_to(world, case, 16)
    refused("DEV-17", case, 17, "2024-10-02")
    assert record(case, 17, "2024-10-02", {"special_reason": "上级党委换届"}).current_step == 18


def test_approval_later_than_six_months_is_refused_even_with_a_reason(world, case):
    run_to(world, case, 16)
    refused("DEV-17", case, 17, "2025-01-02", {"special_reason": "上级党委换届"})
    assert record(case, 17, "2025-01-01", {"special_reason": "上级党委换届"}).current_step == 18


# DEV-22 / DEV-23: probation one year, extension 6–12 months once


def test_full_membership_vote_before_probation_ends_is_refused(world, case):
    run_to(world, case, 22)
    vote = {"voting_members": 4, "present": 4, "for": 4}
    err = refused("DEV-22", case, 23, "2025-06-30", vote)
    assert "2025-07-01" in err.message


@pytest.mark.parametrize(
    "months,ends", [(5, None), (6, "2026-01-01"), (12, "2026-07-01"), (13, None)]
)
def test_probation_extension_bounds(world, case, months, ends):
    run_to(world, case, 21)
    if ends:
        case = services.case_extend_probation(
            actor=SYSTEM, case=case, months=months, decided_on="2025-06-01", reason="表现欠佳"
        )
        assert case.data["probation_end"] == ends
    else:
        with pytest.raises(DomainError) as exc:
            services.case_extend_probation(
                actor=SYSTEM, case=case, months=months, decided_on="2025-06-01", reason="x"
            )
        assert exc.value.rule == "DEV-22"


def test_probation_can_be_extended_only_once_and_moves_full_date(world, case):
    run_to(world, case, 21)
    case = services.case_extend_probation(
        actor=SYSTEM, case=case, months=6, decided_on="2025-06-01", reason="考察期延长"
    )
    with pytest.raises(DomainError) as exc:
        services.case_extend_probation(
            actor=SYSTEM, case=case, months=6, decided_on="2025-06-02", reason="再延长"
        )
    assert exc.value.rule == "DEV-22"
    record(case, 22, "2025-12-20")
    vote = {"voting_members": 4, "present": 4, "for": 4}
    refused("DEV-22", case, 23, "2025-12-31", vote)
    record(case, 23, "2026-01-01", vote)
    case = record(case, 24, "2026-02-01")
    case.member.refresh_from_db()
    assert case.member.status == "full" and case.member.full_at == dt.date(2026, 1, 1)


# DEV-24: approval of full membership within 3 months


def test_full_membership_approval_bounds(world, case):
    run_to(world, case, 23)
    refused("DEV-24", case, 24, "2025-10-02")
    assert record(case, 24, "2025-10-01").current_step == 25


# DEV-25: files complete


def test_archiving_refused_while_materials_are_missing(world, case):
    run_to(world, case, 24)
    err = refused("DEV-25", case, 25, "2025-08-10")
    assert {e["message"] for e in err.errors} >= {"第1步“递交入党申请书”缺少：入党申请书"}
    assert len(err.errors) == 6


# Order, retries, roles, dates


def test_step_out_of_order_is_a_conflict(world, case):
    run_to(world, case, 1)
    with pytest.raises(Conflict):
        record(case, 3, "2023-02-01")
    assert not CaseStep.objects.filter(case=case, number=3).exists()


def test_retrying_the_same_step_records_once(world, case):
    record(case, 1, "2023-01-05")
    record(case, 1, "2023-01-05")
    assert CaseStep.objects.filter(case=case).count() == 1
    with pytest.raises(Conflict):
        record(case, 1, "2023-01-06")


def test_secretary_cannot_record_a_superior_step(world, case):
    run_to(world, case, 12)
    with pytest.raises(Forbidden):
        record(case, 13, "2024-06-10", actor=world.user("sec_a"))
    assert record(case, 13, "2024-06-10", actor=world.user("c1_admin")).current_step == 14


def test_future_and_earlier_than_previous_dates_are_refused(world, case):
    run_to(world, case, 2)
    with pytest.raises(DomainError):
        record(case, 3, dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        record(case, 3, "2023-01-19")


def test_only_applicants_get_a_case_and_only_one(world):
    with pytest.raises(DomainError):
        services.development_case_open(actor=SYSTEM, member=world.members_a[1])
    m = make_applicant(world)
    services.development_case_open(actor=SYSTEM, member=m)
    with pytest.raises(Conflict):
        services.development_case_open(actor=SYSTEM, member=m)


def test_correction_needs_the_superior_and_moves_the_stage_date(world, case):
    run_to(world, case, 4)
    with pytest.raises(Forbidden):
        services.case_step_correct(
            actor=world.user("sec_a"), case=case, number=3, done_on="2023-03-02", reason="笔误"
        )
    with pytest.raises(DomainError):
        services.case_step_correct(
            actor=world.user("c1_admin"), case=case, number=3, done_on="2023-03-02", reason=" "
        )
    services.case_step_correct(
        actor=world.user("c1_admin"), case=case, number=3, done_on="2023-03-02", reason="笔误"
    )
    case.member.refresh_from_db()
    assert case.member.activist_at == dt.date(2023, 3, 2)
    rec = CaseStep.objects.get(case=case, number=3)
    assert rec.corrections[0]["reason"] == "笔误"
    assert rec.corrections[0]["before"]["done_on"] == "2023-03-01"


def test_correction_cannot_break_the_order_of_dates(world, case):
    run_to(world, case, 4)
    with pytest.raises(DomainError):
        services.case_step_correct(
            actor=SYSTEM, case=case, number=3, done_on="2023-03-11", reason="笔误"
        )


def test_whole_run_closes_the_case(world, case):
    case = run_to(world, case, 25)
    assert case.status == Case.Status.DONE
    assert case.next_due_on is None
    done_on, _ = step_data(world, 25)
    assert case.closed_on == done_on


def test_a_malformed_review_date_is_a_clear_error(world, case):
    run_to(world, case, 5)
    err = refused("DEV-6", case, 6, "2024-03-01", {"reviews": ["2023-13-01"]})
    assert "2023-13-01" in err.message and err.errors[0]["field"] == "reviews"
