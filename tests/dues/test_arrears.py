"""DUE-10: consecutive unpaid months, a warning at 3 and a violation at 6, through the
standards engine; and the reminders."""

import datetime as dt

import pytest

from dangjian.core.calendar import add_months
from dangjian.core.models import Notification
from dangjian.dues.rates import month_label
from dangjian.dues.selectors import arrears, current_month
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.dues.conftest import pay, set_profile

pytestmark = pytest.mark.django_db


def _paid_through(member, months_unpaid):
    """Profile from long ago; everything paid except the last ``months_unpaid`` closed
    months (the current month is still being collected)."""
    this = current_month()
    start = add_months(this, -24)
    set_profile(member, month=start)
    last_paid = add_months(this, -1 - months_unpaid)
    n = (last_paid.year - start.year) * 12 + last_paid.month - start.month + 1
    pay(member, [month_label(add_months(start, i)) for i in range(n)])


@pytest.fixture
def runs(world):
    """A0..A3 of branch A with 2, 3, 5, 6 unpaid closed months."""
    for member, n in zip(world.members_a, (2, 3, 5, 6), strict=True):
        _paid_through(member, n)
    return world


def _dues_findings(world):
    today = dt.date.today()
    found = evaluate(world.w, P.containing("month", today), codes=["DUE-10"])
    return {f.member_id: f for f in found if f.member_id}, found


def test_warning_at_three_violation_at_six(runs):
    by_member, _ = _dues_findings(runs)
    a = runs.members_a
    assert a[0].pk not in by_member  # 2 months: nothing yet
    assert by_member[a[1].pk].status == "overdue"  # 3: warning
    assert by_member[a[2].pk].status == "overdue"  # 5: still a warning
    assert by_member[a[3].pk].status == "violation"  # 6: violation
    assert "连续 6 个月" in by_member[a[3].pk].actual
    assert by_member[a[1].pk].rule_code == "DUE-10"


def test_branch_without_arrears_gets_its_collection_rate(runs):
    w = runs
    for m in w.members_b:
        _paid_through(m, 0)
    _, found = _dues_findings(w)
    b = [f for f in found if f.org_id == w.b.pk]
    assert len(b) == 1 and b[0].status == "ok"
    assert "收缴率 100.0%" in b[0].actual


def test_paying_clears_the_warning(runs):
    member = runs.members_a[1]
    months = [month_label(add_months(current_month(), -i)) for i in (3, 2, 1)]
    pay(member, months)
    by_member, _ = _dues_findings(runs)
    assert member.pk not in by_member


def test_arrears_thresholds_are_rule_parameters(runs):
    from dangjian.standards.models import Rule

    rule = Rule.objects.get(code="DUE-10", version=1)
    Rule.objects.filter(pk=rule.pk).update(params={"warn_months": 2, "violation_months": 5})
    by_member, _ = _dues_findings(runs)
    a = runs.members_a
    assert by_member[a[0].pk].status == "overdue"
    assert by_member[a[2].pk].status == "violation"


def test_months_before_the_first_profile_do_not_count(world):
    m = world.members_a[0]
    set_profile(m, month=add_months(current_month(), -2))
    rows = arrears(org=world.a, as_of=add_months(current_month(), -1))
    assert {r.member_id: r.months for r in rows}[m.pk] == 2


def test_reminders_reach_the_member_and_secretary_once(
    runs, client_for, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client = client_for(runs.user("sec_a"))
    url = reverse("dues:arrears") + f"?org={runs.a.pk}"
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
    member_user = runs.user("member_a")  # members_a[1]: 3 months
    assert Notification.objects.filter(user=member_user, title="党费交纳提醒").count() == 1
    secretary = Notification.objects.filter(user=runs.user("sec_a"))
    assert secretary.count() == 3  # members with 3, 5 and 6 months


def test_arrears_page_lists_levels(runs, client_for, django_assert_max_num_queries):
    from django.urls import reverse

    client = client_for(runs.user("sec_a"))
    with django_assert_max_num_queries(20):
        resp = client.get(reverse("dues:arrears") + f"?org={runs.a.pk}")
    assert resp.status_code == 200
    assert resp.context["counts"] == {"warning": 2, "violation": 1, "all": 4}
