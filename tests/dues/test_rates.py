"""Rates by the rules in force: every bracket boundary, rounding, fixed amounts."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.errors import DomainError
from dangjian.dues.rates import RateBook, parse_month
from dangjian.standards.models import Rule
from dangjian.standards.selectors import rule_in_force

NOV = dt.date(2026, 11, 1)


def quote(category, base, month=NOV):
    return RateBook().quote(category=category, base=Decimal(base), month=month)


EMPLOYED = [
    ("2999.99", "0.005", "15.00"),
    ("3000.00", "0.005", "15.00"),
    ("3000.01", "0.01", "30.00"),
    ("4999.99", "0.01", "50.00"),
    ("5000.00", "0.01", "50.00"),
    ("5000.01", "0.015", "75.00"),
    ("9999.99", "0.015", "150.00"),
    ("10000.00", "0.015", "150.00"),
    ("10000.01", "0.02", "200.00"),
    ("0.00", "0.005", "0.00"),
    ("25000.00", "0.02", "500.00"),
]
RETIRED = [
    ("4999.99", "0.005", "25.00"),
    ("5000.00", "0.005", "25.00"),
    ("5000.01", "0.01", "50.00"),
    ("3200.00", "0.005", "16.00"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("base", "rate", "amount"), EMPLOYED)
def test_employed_bracket_around_each_boundary(base, rate, amount):
    q = quote("employed", base)
    assert (str(q.rate), str(q.amount), q.rule_code) == (rate, amount, "DUE-2")


@pytest.mark.django_db
@pytest.mark.parametrize(("base", "rate", "amount"), RETIRED)
def test_retired_bracket_around_the_boundary(base, rate, amount):
    q = quote("retired", base)
    assert (str(q.rate), str(q.amount), q.rule_code) == (rate, amount, "DUE-3")


@pytest.mark.django_db
def test_one_flat_rate_on_the_whole_base_not_progressive():
    # progressive would be 3000*0.5% + 2000*1% + 1000*1.5% = 50; flat is 6000*1.5% = 90
    assert quote("employed", "6000").amount == Decimal("90.00")


@pytest.mark.django_db
def test_exact_half_fen_rounds_up_by_default():
    assert quote("employed", "1001.00").amount == Decimal("5.01")  # 5.005


@pytest.mark.django_db
def test_rounding_mode_is_a_rule_parameter_by_month():
    current = rule_in_force("DUE-2", NOV)
    Rule.objects.create(
        code="DUE-2",
        version=current.version + 1,
        title=current.title,
        standard=current.standard,
        article=current.article,
        verification="V",
        params={**current.params, "quantum": "0.1", "rounding": "up"},
        effective_from=dt.date(2027, 1, 1),
    )
    assert quote("employed", "1001.00", NOV).amount == Decimal("5.01")
    later = quote("employed", "1001.00", dt.date(2027, 1, 1))
    assert (later.amount, later.rule_version) == (Decimal("5.10"), current.version + 1)


@pytest.mark.django_db
def test_brackets_come_from_the_rule_version_in_force():
    current = rule_in_force("DUE-2", NOV)
    params = {**current.params, "brackets": [{"up_to": "4000", "rate": "0.005"}, {"rate": "0.01"}]}
    Rule.objects.create(
        code="DUE-2",
        version=current.version + 1,
        title=current.title,
        standard=current.standard,
        verification="L",
        params=params,
        effective_from=dt.date(2027, 1, 1),
    )
    assert quote("employed", "3500", NOV).amount == Decimal("35.00")
    assert quote("employed", "3500", dt.date(2027, 3, 1)).amount == Decimal("17.50")


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["student", "unemployed", "relief"])
def test_fixed_categories_pay_twenty_fen_with_no_rate(category):
    q = RateBook().quote(category=category, base=None, month=NOV)
    assert (q.rate, str(q.amount), q.rule_code) == (None, "0.20", "DUE-4")


@pytest.mark.django_db
def test_farmer_amount_must_be_within_the_range():
    book = RateBook()
    assert book.quote(category="farmer", base=None, month=NOV).amount == Decimal("0.20")
    q = book.quote(category="farmer", base=None, month=NOV, farmer_amount=Decimal("1.00"))
    assert q.amount == Decimal("1.00")
    with pytest.raises(DomainError, match=r"0\.20—1\.00"):
        book.quote(category="farmer", base=None, month=NOV, farmer_amount=Decimal("1.01"))


@pytest.mark.django_db
def test_unknown_category_is_refused_in_chinese():
    with pytest.raises(DomainError, match="未知的党员类别"):
        RateBook().quote(category="soldier", base=Decimal("1"), month=NOV)


@pytest.mark.django_db
def test_rate_book_agrees_with_rule_in_force():
    book = RateBook()
    for code in ("DUE-2", "DUE-3", "DUE-4", "DUE-6"):
        assert book.rule(code, NOV).pk == rule_in_force(code, NOV).pk


def test_parse_month_rejects_garbage_in_chinese():
    assert parse_month("2026-11") == NOV
    for bad in ("2026-13", "11-2026", "abc", "", "2026/11"):
        with pytest.raises(DomainError, match="YYYY-MM"):
            parse_month(bad)


@pytest.mark.django_db
def test_amount_never_decreases_as_the_base_grows_and_matches_the_table():
    from decimal import ROUND_HALF_UP

    from hypothesis import given, settings
    from hypothesis import strategies as st

    book = RateBook()
    table = [(Decimal("3000"), "0.005"), (Decimal("5000"), "0.01"), (Decimal("10000"), "0.015")]
    cents = st.integers(min_value=0, max_value=5_000_000)

    def expected(base):
        rate = next((Decimal(r) for limit, r in table if base <= limit), Decimal("0.02"))
        return (base * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @settings(max_examples=300, deadline=None)
    @given(cents, cents)
    def check(a, b):
        low, high = sorted((Decimal(a) / 100, Decimal(b) / 100))
        q_low = book.quote(category="employed", base=low, month=NOV)
        q_high = book.quote(category="employed", base=high, month=NOV)
        assert q_low.amount == expected(low)
        assert q_low.amount <= q_high.amount

    check()
