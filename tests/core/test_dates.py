"""One date sanity check: a date before 1921 or years ahead answers "日期不合理"."""

import datetime as dt

import pytest

from dangjian.core.dates import check_sensible_date, sensible_date_error
from dangjian.core.errors import DomainError

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("day", [dt.date(1900, 1, 1), dt.date(1901, 5, 4), dt.date(2099, 1, 1)])
def test_absurd_dates_are_unreasonable(day):
    assert sensible_date_error(day, today=TODAY).startswith("日期不合理")


@pytest.mark.parametrize("day", [dt.date(1921, 7, 1), TODAY, dt.date(2030, 12, 31), None])
def test_plausible_dates_pass(day):
    assert sensible_date_error(day, today=TODAY) == ""


def test_an_aware_datetime_is_checked_by_its_local_date():
    at = dt.datetime(1920, 12, 31, 20, 0, tzinfo=dt.UTC)  # 1921-01-01 04:00 in Beijing
    assert sensible_date_error(at, today=TODAY) == ""


def test_the_check_raises_on_the_field():
    with pytest.raises(DomainError) as caught:
        check_sensible_date(dt.date(1900, 1, 1), field="paid_on", today=TODAY)
    assert caught.value.field == "paid_on" and "日期不合理" in caught.value.message


def test_a_payment_in_1900_is_unreasonable_not_a_rule_question(world):
    from dangjian.core.actors import SYSTEM
    from dangjian.dues.services import dues_payment_record

    with pytest.raises(DomainError) as caught:
        dues_payment_record(
            actor=SYSTEM,
            member=world.members_a[1],
            kind="voluntary",
            amount="10.00",
            paid_on=dt.date(1900, 1, 1),
            method="cash",
        )
    assert caught.value.field == "paid_on" and caught.value.message.startswith("日期不合理")


@pytest.mark.parametrize("year", [1901, 2099])
def test_a_meeting_in_1901_or_2099_is_unreasonable(world, year):
    from dangjian.meetings.services import meeting_create

    with pytest.raises(DomainError) as caught:
        meeting_create(
            actor=world.user("sec_a"),
            org=world.a,
            kind="board_meeting",
            topic="支委会",
            planned_on=dt.date(year, 3, 1),
        )
    assert {"field": "planned_on", "message": caught.value.message} in caught.value.errors
    assert caught.value.message.startswith("日期不合理")
