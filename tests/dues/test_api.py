"""The dues API contract: quote, sheet, payments with Idempotency-Key, a member's dues."""

import datetime as dt
import json

import pytest

from dangjian.core.models import IdempotencyRecord
from dangjian.dues.models import DuesPaidMonth, DuesPayment
from tests.dues.conftest import pay

pytestmark = pytest.mark.django_db


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_quote_contract_example(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/dues/quote",
        {"category": "employed", "base": "4999.99"},
    )
    assert resp.status_code == 200
    body = resp.json()
    assert (body["rate"], body["amount"], body["rule"]) == ("0.01", "50.00", "DUE-2")


def test_quote_fixed_category_has_null_rate(world, api_for):
    resp = post(api_for(world.user("member_a")), "/api/v1/dues/quote", {"category": "student"})
    assert resp.status_code == 200
    assert (resp.json()["rate"], resp.json()["amount"]) == (None, "0.20")


def test_quote_retired_uses_due_3(world, api_for):
    resp = post(
        api_for(world.user("sec_a")), "/api/v1/dues/quote", {"category": "retired", "base": 5000.01}
    )
    assert resp.json()["rule"] == "DUE-3" and resp.json()["amount"] == "50.00"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"category": "employed", "base": "-1"}, "不能为负数"),
        ({"category": "employed", "base": "abc"}, "应为数字"),
        ({"category": "employed"}, "请填写交纳基数"),
        ({"category": "soldier", "base": "100"}, "未知的党员类别"),
        ({"category": "employed", "base": "100.001"}, "两位小数"),
        ({"category": "employed", "base": "NaN"}, "应为数字"),
        ({"category": "employed", "base": True}, "应为数字"),
        ({"category": "employed", "base": [1]}, "应为数字"),
        ({"base": "100"}, "category"),
    ],
)
def test_quote_bad_input_is_422_with_chinese_detail(world, api_for, payload, fragment):
    resp = post(api_for(world.user("sec_a")), "/api/v1/dues/quote", payload)
    assert resp.status_code == 422
    assert fragment in resp.json()["detail"]


def test_quote_needs_login(world, api_for):
    assert post(api_for(None), "/api/v1/dues/quote", {"category": "student"}).status_code == 401


def test_sheet_lists_branch_members_with_amounts(profiled, api_for):
    w = profiled
    pay(w.members_a[0], ["2026-11"], paid_on=dt.date(2026, 11, 5))
    resp = api_for(w.user("sec_a")).get(f"/api/v1/dues/sheet?org={w.a.pk}&month=2026-11")
    assert resp.status_code == 200
    body = resp.json()
    assert body["month"] == "2026-11"
    rows = {r["member"]: r for r in body["rows"]}
    assert set(rows) == {m.pk for m in w.members_a}
    assert rows[w.members_a[0].pk]["state"] == "paid"
    assert rows[w.members_a[1].pk] | {} and rows[w.members_a[1].pk]["amount"] == "90.00"
    assert rows[w.members_a[1].pk]["rate"] == "0.015"
    assert body["totals"]["due"] == "360.00" and body["totals"]["paid"] == "90.00"
    assert body["totals"]["rate"] == "25.0"


def test_sheet_of_other_branch_is_404(profiled, api_for):
    resp = api_for(profiled.user("sec_a")).get(f"/api/v1/dues/sheet?org={profiled.b.pk}")
    assert resp.status_code == 404


def test_sheet_bad_month_is_422(profiled, api_for):
    resp = api_for(profiled.user("sec_a")).get(f"/api/v1/dues/sheet?org={profiled.a.pk}&month=11")
    assert resp.status_code == 422 and "YYYY-MM" in resp.json()["detail"]


def _payment(member, months=("2026-10", "2026-11")):
    return {
        "member": member.pk,
        "paid_on": "2026-11-05",
        "method": "transfer",
        "reference": "TX-20261105-001",
        "months": list(months),
        "amount": "180.00",
    }


def test_retried_payment_with_same_key_is_recorded_once(profiled, api_for):
    client = api_for(profiled.user("sec_a"))
    member = profiled.members_a[1]
    first = post(client, "/api/v1/dues/payments", _payment(member), **{"Idempotency-Key": "k-1"})
    again = post(client, "/api/v1/dues/payments", _payment(member), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json()
    assert DuesPayment.objects.filter(member=member).count() == 1
    assert DuesPaidMonth.objects.filter(member=member).count() == 2
    assert IdempotencyRecord.objects.filter(key="k-1").count() == 1
    assert [m["month"] for m in first.json()["months"]] == ["2026-10", "2026-11"]


def test_same_key_with_another_payload_is_409(profiled, api_for):
    client = api_for(profiled.user("sec_a"))
    member = profiled.members_a[1]
    post(client, "/api/v1/dues/payments", _payment(member), **{"Idempotency-Key": "k-2"})
    other = _payment(member, months=("2026-09",)) | {"amount": "90.00"}
    resp = post(client, "/api/v1/dues/payments", other, **{"Idempotency-Key": "k-2"})
    assert resp.status_code == 409
    assert DuesPaidMonth.objects.filter(member=member).count() == 2


def test_retry_without_key_cannot_pay_a_month_twice(profiled, api_for):
    client = api_for(profiled.user("sec_a"))
    member = profiled.members_a[1]
    assert post(client, "/api/v1/dues/payments", _payment(member)).status_code == 201
    resp = post(client, "/api/v1/dues/payments", _payment(member))
    assert resp.status_code == 409 and "已交纳" in resp.json()["detail"]
    assert DuesPayment.objects.filter(member=member).count() == 1


def test_wrong_amount_is_refused_with_the_breakdown(profiled, api_for):
    client = api_for(profiled.user("sec_a"))
    data = _payment(profiled.members_a[1]) | {"amount": "100.00"}
    resp = post(client, "/api/v1/dues/payments", data)
    assert resp.status_code == 422
    assert "应交 180.00 元" in resp.json()["detail"]


def test_payment_for_member_of_other_branch_is_404(profiled, api_for):
    client = api_for(profiled.user("sec_a"))
    resp = post(client, "/api/v1/dues/payments", _payment(profiled.members_b[1]))
    assert resp.status_code == 404
    assert not DuesPayment.objects.exists()


def test_member_sees_own_dues_with_rule(profiled, api_for):
    w = profiled
    member = w.members_a[1]  # member_a
    pay(member, ["2026-01", "2026-02"], paid_on=dt.date(2026, 2, 3))
    resp = api_for(w.user("member_a")).get(
        f"/api/v1/members/{member.pk}/dues?first=2026-01&last=2026-04"
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["paid_to"] == "2026-02"
    assert body["unpaid_months"] == ["2026-04", "2026-03"]
    assert body["unpaid_total"] == "180.00"
    assert body["months"][0]["rule"] == "DUE-2" and body["months"][0]["amount"] == "90.00"
    assert body["profile"]["base"] == "6000.00"


def test_member_cannot_see_another_members_dues(profiled, api_for):
    other = profiled.members_a[2]
    resp = api_for(profiled.user("member_a")).get(f"/api/v1/members/{other.pk}/dues")
    assert resp.status_code == 404


def test_profile_from_income_components_follows_due_1(world, api_for):
    member = world.members_a[2]
    resp = post(
        api_for(world.user("sec_a")),
        f"/api/v1/members/{member.pk}/dues/profile",
        {
            "category": "employed",
            "effective_month": "2026-01",
            "components": [
                {"name": "职务工资", "amount": "3000"},
                {"name": "级别工资", "amount": "2500"},
                {"name": "规范津贴补贴", "amount": "2000"},
                {"name": "住房公积金", "amount": "1200"},
                {"name": "交通补贴", "amount": "500"},
            ],
            "income_tax": "320.50",
        },
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["base"] == "7179.50"  # 3000 + 2500 + 2000 − 320.50; subsidies excluded
    assert [c["counted"] for c in body["components"]] == [True, True, True, False, False]


def test_member_cannot_set_own_profile(world, api_for):
    member = world.members_a[1]
    resp = post(
        api_for(world.user("member_a")),
        f"/api/v1/members/{member.pk}/dues/profile",
        {"category": "student", "effective_month": "2026-01"},
    )
    assert resp.status_code == 404


def test_arrears_endpoint_levels(profiled, api_for):
    w = profiled
    pay(
        w.members_a[0],
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"],
        paid_on=dt.date(2026, 8, 1),
    )
    resp = api_for(w.user("sec_a")).get(f"/api/v1/dues/arrears?org={w.a.pk}&month=2026-10")
    assert resp.status_code == 200
    rows = {r["member"]: r for r in resp.json()}
    assert rows[w.members_a[0].pk]["months"] == 2
    assert rows[w.members_a[1].pk]["months"] == 10
    assert rows[w.members_a[1].pk]["level"] == "violation"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"method": "cheque"}, "现金（cash）、银行转账（transfer）、线上支付（online）"),
        ({"kind": "gift"}, "按月交纳（regular）、自愿多交（voluntary）"),
    ],
)
def test_bad_payment_choice_names_labels_first(profiled, api_for, change, fragment):
    payload = _payment(profiled.members_a[1]) | change
    resp = post(api_for(profiled.user("sec_a")), "/api/v1/dues/payments", payload)
    assert resp.status_code == 422
    assert fragment in resp.json()["detail"]


def test_bad_category_names_labels_first(world, api_for):
    payload = {"category": "soldier", "base": "100"}
    resp = post(api_for(world.user("sec_a")), "/api/v1/dues/quote", payload)
    assert "在职（employed）、离退休（retired）" in resp.json()["detail"]
