"""Dues pages: sheet (HTML, Excel, PDF), recording a payment, member pages, scope."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import Notification
from dangjian.dues.models import DuesPayment
from tests.dues.conftest import pay, set_profile
from tests.dues.scope import scope_objects

pytestmark = pytest.mark.django_db
MONTH = "2026-11"


def test_sheet_shows_each_member_amount_and_state(profiled, client_for):
    w = profiled
    pay(w.members_a[0], [MONTH], paid_on=dt.date(2026, 11, 3))
    resp = client_for(w.user("sec_a")).get(reverse("dues:sheet") + f"?org={w.a.pk}&month={MONTH}")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "预算处党支部" in html and "90.00" in html and "1.5%" in html
    assert html.count("记录交纳") == 3  # three unpaid members
    assert "精确到分、四舍五入" in html and "每月 10 日为收缴日" in html
    assert resp.context["sheet"].totals.paid_members == 1


def test_sheet_page_query_count_does_not_grow_with_members(
    profiled, client_for, django_assert_max_num_queries
):
    w = profiled
    client = client_for(w.user("sec_a"))
    url = reverse("dues:sheet") + f"?org={w.a.pk}&month={MONTH}"
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
    from tests.factories import make_member

    for i in range(8):
        set_profile(make_member(w.a, f"新党员{i}"))
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_committee_sheet_shows_each_branch_rate(profiled, client_for):
    w = profiled
    pay(w.members_b[0], [MONTH], paid_on=dt.date(2026, 11, 3))
    resp = client_for(w.user("c1_admin")).get(
        reverse("dues:sheet") + f"?org={w.c1.pk}&month={MONTH}"
    )
    branches = {o.pk: t for o, t in resp.context["branches"]}
    assert branches[w.b.pk].rate == 50 and branches[w.a.pk].rate == 0


def test_sheet_of_other_branch_is_404(profiled, client_for):
    resp = client_for(profiled.user("sec_a")).get(reverse("dues:sheet") + f"?org={profiled.b.pk}")
    assert resp.status_code == 404


def test_plain_member_is_sent_to_own_dues_page(profiled, client_for):
    resp = client_for(profiled.user("member_a")).get(reverse("dues:sheet"))
    assert resp.status_code == 302 and resp.url == reverse("dues:mine")


def test_sheet_exports_xlsx(profiled, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    w = profiled
    resp = client_for(w.user("sec_a")).get(
        reverse("dues:sheet") + f"?org={w.a.pk}&month={MONTH}&format=xlsx"
    )
    assert resp.status_code == 200
    sheet = load_workbook(BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "姓名" and len(rows) == 1 + 4 + 1
    # Amounts are numbers in money format, rates numbers in percentage format.
    assert rows[1][6] == 90 and sheet.cell(row=2, column=7).number_format == "#,##0.00"
    assert isinstance(rows[1][5], float) and sheet.cell(row=2, column=6).number_format == "0.0%"


def test_sheet_pdf_is_a_pdf_or_a_clear_503(profiled, client_for):
    w = profiled
    resp = client_for(w.user("sec_a")).get(
        reverse("dues:sheet") + f"?org={w.a.pk}&month={MONTH}&format=pdf"
    )
    assert resp.status_code in (200, 503)
    if resp.status_code == 200:
        assert resp.content.startswith(b"%PDF")


def test_recording_a_quarter_at_once(profiled, client_for):
    w = profiled
    member = w.members_a[2]
    resp = client_for(w.user("sec_a")).post(
        reverse("dues:payment_new", args=[member.pk]),
        {
            "kind": "regular",
            "months": ["2026-10", "2026-11", "2026-12"],
            "paid_on": "2026-11-20",
            "method": "cash",
            "receipt_no": "No.0012",
        },
    )
    assert resp.status_code == 302
    payment = DuesPayment.objects.get(member=member)
    assert payment.amount == 270 and payment.months_count == 3
    assert payment.months_label == "2026-10至2026-12"


def test_proxy_payment_without_consent_shows_the_rule(profiled, client_for):
    w = profiled
    member = w.members_a[2]
    resp = client_for(w.user("sec_a")).post(
        reverse("dues:payment_new", args=[member.pk]),
        {
            "kind": "regular",
            "months": [MONTH],
            "paid_on": "2026-11-20",
            "method": "cash",
            "proxy_payer": "王某",
        },
    )
    assert resp.status_code == 200
    assert "须经党支部同意" in resp.content.decode()
    assert not DuesPayment.objects.exists()


def test_member_phone_page_shows_months_and_rule(profiled, client_for):
    w = profiled
    pay(w.members_a[1], ["2026-10"], paid_on=dt.date(2026, 10, 8))
    resp = client_for(w.user("member_a")).get(reverse("dues:mine"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "2026-10" in html and "DUE-2" in html and "基数 6000.00 元 × 1.5% = 90.00 元" in html
    assert 'name="viewport"' in html


def test_member_phone_page_counts_unread_and_writes_nothing(
    profiled, client_for, django_assert_max_num_queries
):
    user = profiled.user("member_a")
    Notification.objects.create(user=user, title="请按时交纳党费")
    client = client_for(user)
    client.get("/healthz")  # the first request of the session stamps last_seen
    with django_assert_max_num_queries(13) as captured:  # rendered: twelve and the stamp
        html = client.get(reverse("dues:mine")).content.decode()
    assert not [q for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert '<span class="dj-count">1</span>' in html


def test_profile_form_computes_base_from_items(world, client_for):
    member = world.members_a[3]
    resp = client_for(world.user("sec_a")).post(
        reverse("dues:profile_edit", args=[member.pk]),
        {
            "category": "employed",
            "effective_month": "2026-01",
            "base_source": "components",
            "inc_0": "3000",
            "inc_1": "1500",
            "inc_2": "800",
            "exc_0": "1000",
            "income_tax": "100",
            "adjustment": "none",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert member.dues_profiles.get().base == 5200


def test_waiver_without_approval_is_refused(world, client_for):
    member = world.members_a[3]
    resp = client_for(world.user("sec_a")).post(
        reverse("dues:profile_edit", args=[member.pk]),
        {
            "category": "employed",
            "effective_month": "2026-01",
            "base_source": "direct",
            "base": "3000",
            "adjustment": "waived",
        },
    )
    assert resp.status_code == 200 and "上一级党委批准" in resp.content.decode()


def test_certificate_shows_paid_to_month(profiled, client_for):
    w = profiled
    pay(w.members_a[1], ["2026-09", "2026-10"], paid_on=dt.date(2026, 10, 8))
    resp = client_for(w.user("member_a")).get(reverse("dues:certificate", args=[w.members_a[1].pk]))
    assert "2026年10月" in resp.content.decode()


def test_summary_and_disclosure(profiled, client_for):
    w = profiled
    pay(w.members_a[0], ["2026-01"], paid_on=dt.date(2026, 1, 8))
    client = client_for(w.user("sec_a"))
    resp = client.get(reverse("dues:summary") + f"?org={w.a.pk}&year=2026")
    assert resp.status_code == 200
    assert resp.context["total"].headcount == 4
    resp = client.post(
        reverse("dues:disclosures"), {"org": w.a.pk, "year": 2026, "usage": "全额上缴上级党委"}
    )
    assert resp.status_code == 302
    resp = client_for(w.user("member_a")).get(resp.url)
    assert resp.status_code == 200 and "90.00" in resp.content.decode()


@pytest.mark.parametrize("name", ["member", "certificate", "profile_edit", "payment_new"])
def test_other_branch_member_pages_are_404(world, client_for, name):
    objs = scope_objects(world)
    b_member = objs["member_id"][1]
    for user in ("sec_a", "member_a"):
        resp = client_for(world.user(user)).get(reverse(f"dues:{name}", args=[b_member]))
        assert resp.status_code == 404


def test_other_branch_payment_and_disclosure_are_404(world, client_for):
    objs = scope_objects(world)
    client = client_for(world.user("sec_a"))
    assert client.get(reverse("dues:payment", args=[objs["payment_id"][1]])).status_code == 404
    resp = client.post(reverse("dues:payment_void", args=[objs["payment_id"][1]]), {"reason": "x"})
    assert resp.status_code == 404
    assert not DuesPayment.objects.filter(voided_at__isnull=False).exists()
    assert (
        client.get(reverse("dues:disclosure", args=[objs["disclosure_id"][1]])).status_code == 404
    )
    assert client.get(reverse("dues:payment", args=[objs["payment_id"][0]])).status_code == 200


def test_anonymous_is_sent_to_login(client_for):
    resp = client_for(None).get(reverse("dues:sheet"))
    assert resp.status_code == 302 and "login" in resp.url


def test_collection_day_records_ticked_members_in_cash(profiled, client_for):
    w = profiled
    picked = [w.members_a[1].pk, w.members_a[2].pk, w.members_b[1].pk]  # B's is ignored
    resp = client_for(w.user("sec_a")).post(
        reverse("dues:collect"),
        {"org": w.a.pk, "month": MONTH, "paid_on": "2026-11-10", "member": picked},
    )
    assert resp.status_code == 302
    paid = DuesPayment.objects.values_list("member_id", "amount", "method")
    assert sorted(paid) == sorted(
        [(w.members_a[1].pk, 90, "cash"), (w.members_a[2].pk, 90, "cash")]
    )


def test_collecting_for_another_branch_is_404(profiled, client_for):
    w = profiled
    resp = client_for(w.user("sec_a")).post(
        reverse("dues:collect"),
        {"org": w.b.pk, "month": MONTH, "paid_on": "2026-11-10", "member": [w.members_b[1].pk]},
    )
    assert resp.status_code == 404 and not DuesPayment.objects.exists()


def test_member_sees_own_branch_disclosure_once(profiled, client_for):
    from dangjian.dues import services
    from tests.factories import SYSTEM

    d = services.dues_disclosure_publish(actor=SYSTEM, org=profiled.a, year=2026, usage="上缴")
    client = client_for(profiled.user("member_a"))
    assert client.get(reverse("dues:disclosure", args=[d.pk])).status_code == 200
    assert len(client.get(reverse("dues:disclosures")).context["page"]) == 1


def test_profile_form_starts_from_the_profile_in_force(profiled, client_for):
    member = profiled.members_a[1]
    resp = client_for(profiled.user("sec_a")).get(reverse("dues:profile_edit", args=[member.pk]))
    assert resp.context["form"].initial["base"] == 6000
    assert 'value="6000.00"' in resp.content.decode()
