"""Dues services and reads: DUE-5..DUE-9 behaviour, paid-to month, voiding, transfers."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.dues import selectors, services
from dangjian.dues.models import DuesPaidMonth
from dangjian.dues.selectors import member_paid_to, monthly_sheet
from tests.dues.conftest import pay, set_profile
from tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db
D = dt.date


def _states(org, month):
    return {x.member_id: x.state for x in monthly_sheet(org=org, month=month).lines}


def test_probationary_member_owes_from_the_month_of_acceptance(world):
    m = make_member(world.a, "新预备", status="probationary", joined_at=D(2026, 5, 20))
    set_profile(m, month=D(2026, 1, 1), base="4000")
    assert m.pk not in _states(world.a, D(2026, 4, 1))
    assert _states(world.a, D(2026, 5, 1))[m.pk] == "unpaid"
    with pytest.raises(DomainError, match="无需交纳"):
        pay(m, ["2026-04"])
    assert pay(m, ["2026-05"]).amount == Decimal("40.00")


def test_applicants_and_activists_owe_nothing(world):
    m = make_member(world.a, "积极分子", status="activist")
    with pytest.raises(DomainError, match="只有正式党员和预备党员"):
        set_profile(m)


def test_month_is_never_paid_twice(profiled):
    m = profiled.members_a[1]
    pay(m, ["2026-03"])
    with pytest.raises(Conflict, match="已交纳"):
        pay(m, ["2026-02", "2026-03"])
    assert DuesPaidMonth.objects.filter(member=m).count() == 1


def test_each_month_is_priced_by_its_own_profile(world):
    m = world.members_a[1]
    set_profile(m, month=D(2025, 1, 1), base="2000")  # 10.00
    set_profile(m, month=D(2026, 1, 1), base="6000")  # 90.00
    payment = pay(m, ["2025-12", "2026-01"], paid_on=D(2026, 1, 10))
    assert payment.amount == Decimal("100.00")
    assert sorted(payment.months.values_list("amount", flat=True)) == [10, 90]


def test_agency_mode_fixes_the_base_until_next_january(world, settings):
    settings.DUES_BASE_MODE = "agency"
    m = world.members_a[1]
    set_profile(m, month=D(2025, 1, 1), base="4000")  # 40.00
    set_profile(m, month=D(2025, 7, 1), base="6000")  # a raise in July
    assert _line(world, m, D(2025, 8, 1)).amount == Decimal("40.00")
    assert _line(world, m, D(2026, 1, 1)).amount == Decimal("90.00")


def test_follow_pay_mode_applies_from_the_month_of_new_pay(world, settings):
    settings.DUES_BASE_MODE = "follow_pay"
    m = world.members_a[1]
    set_profile(m, month=D(2025, 1, 1), base="4000")
    set_profile(m, month=D(2025, 7, 1), base="6000")
    assert _line(world, m, D(2025, 6, 1)).amount == Decimal("40.00")
    assert _line(world, m, D(2025, 7, 1)).amount == Decimal("90.00")


def test_retirement_mid_year_applies_at_once_even_in_agency_mode(world, settings):
    settings.DUES_BASE_MODE = "agency"
    m = world.members_a[1]
    set_profile(m, month=D(2025, 1, 1), base="6000")
    set_profile(m, "retired", month=D(2025, 9, 1), base="4800")
    line = _line(world, m, D(2025, 10, 1))
    assert (line.rule_code, line.amount) == ("DUE-3", Decimal("24.00"))


def test_bad_base_mode_setting_is_a_clear_error(world, settings):
    settings.DUES_BASE_MODE = "yearly"
    with pytest.raises(DomainError, match="DUES_BASE_MODE"):
        selectors.base_mode()


def _line(world, member, month):
    return {x.member_id: x for x in monthly_sheet(org=member.org, month=month).lines}[member.pk]


def test_reduced_and_waived_need_the_approval_record(world):
    m = world.members_a[1]
    with pytest.raises(DomainError) as err:
        set_profile(m, base="3000", adjustment="waived")
    assert err.value.rule == "DUE-5" and len(err.value.errors) == 3
    p = set_profile(
        m,
        base="3000",
        adjustment="reduced",
        adjusted_amount="5.00",
        branch_decided_on=D(2025, 12, 1),
        approved_on=D(2025, 12, 20),
        approval_ref="财党〔2025〕12号",
    )
    line = _line(world, m, D(2026, 2, 1))
    assert (line.amount, line.rule_code, p.adjustment) == (Decimal("5.00"), "DUE-5", "reduced")


def test_waived_months_are_not_owed(world):
    m = world.members_a[1]
    set_profile(
        m,
        base="3000",
        adjustment="waived",
        branch_decided_on=D(2025, 12, 1),
        approved_on=D(2025, 12, 20),
        approval_ref="批复",
    )
    assert _line(world, m, D(2026, 2, 1)).state == "waived"
    with pytest.raises(DomainError, match="免交"):
        pay(m, ["2026-02"])


def test_back_payment_beyond_six_months_is_flagged(profiled):
    m = profiled.members_a[1]
    six = pay(m, [f"2026-0{i}" for i in range(1, 7)], paid_on=D(2026, 7, 15))
    assert not six.back_payment
    m2 = profiled.members_a[2]
    seven = pay(m2, [f"2026-0{i}" for i in range(1, 8)], paid_on=D(2026, 8, 15))
    assert seven.back_payment


def test_voluntary_payment_of_1000_goes_to_the_centre(profiled):
    m = profiled.members_a[1]
    big = services.dues_payment_record(
        actor=SYSTEM,
        member=m,
        kind="voluntary",
        amount="1000.00",
        paid_on=D(2026, 7, 1),
        method="transfer",
        reference="TX1",
    )
    small = services.dues_payment_record(
        actor=SYSTEM,
        member=m,
        kind="voluntary",
        amount="999.99",
        paid_on=D(2026, 7, 1),
        method="cash",
    )
    assert big.remit_to_centre and not small.remit_to_centre


def test_transfer_and_online_need_a_reference(profiled):
    with pytest.raises(DomainError, match="流水号"):
        pay(profiled.members_a[1], ["2026-03"], method="online")


def test_future_payment_date_is_refused(profiled):
    with pytest.raises(DomainError, match="不能晚于今天"):
        pay(profiled.members_a[1], ["2026-03"], paid_on=dt.date.today() + dt.timedelta(days=2))


def test_paid_to_month_and_voiding(profiled):
    m = profiled.members_a[1]
    assert member_paid_to(m) is None
    pay(m, ["2026-01", "2026-02"])
    last = pay(m, ["2026-03"])
    assert member_paid_to(m) == "2026-03"
    services.dues_payment_void(actor=SYSTEM, payment=last, reason="金额录错")
    assert member_paid_to(m) == "2026-02"
    assert pay(m, ["2026-03"]).amount == Decimal("90.00")  # the month can be paid again


def test_paid_to_travels_with_the_member_on_transfer(profiled):
    from dangjian.members.services import member_update

    w = profiled
    m = w.members_a[3]
    pay(m, ["2026-09", "2026-10"], paid_on=D(2026, 10, 9))
    member_update(actor=SYSTEM, member=m, org=w.b, reason="组织关系转接")
    assert member_paid_to(m) == "2026-10"
    states = _states(w.b, D(2026, 10, 1))
    assert states[m.pk] == "paid"


def test_sheet_and_arrears_queries_do_not_grow_with_members(
    profiled, django_assert_max_num_queries
):
    w = profiled
    for i in range(10):
        set_profile(make_member(w.a, f"党员{i}"))
    with django_assert_max_num_queries(6):
        sheet = monthly_sheet(org=w.w, month=D(2026, 10, 1))
    assert len(sheet.lines) == 18  # D's two members have no dues profile yet
    assert sum(x.state == "no_profile" for x in sheet.lines) == 2
    with django_assert_max_num_queries(6):
        selectors.arrears(org=w.w, as_of=D(2026, 10, 1))
