"""What dues put on the workbench: a branch's members in arrears and, in the month's last
week, those who have not paid it, for the branch and the committee over it; the collection
rate for everyone, the work committee included, which gets no per-branch dues rows."""

import datetime as dt

import pytest

from dangjian.core.calendar import add_months
from dangjian.core.workbench import workbench_for
from dangjian.dues.rates import month_label
from dangjian.dues.selectors import current_month
from tests.dues.conftest import pay, set_profile

pytestmark = pytest.mark.django_db


def _dues_rows(world, user, today=None):
    bench = workbench_for(world.user(user), today=today)
    return [(t.what, t.org_name, t.action) for t in bench.all_todos if t.source == "党费"]


@pytest.fixture
def behind(world):
    """Branch A: A0 two closed months unpaid, A1 one, the others paid up; branch B none
    owing (no profile)."""
    this = current_month()
    start = add_months(this, -12)
    for member, unpaid in zip(world.members_a, (2, 1, 0, 0), strict=True):
        set_profile(member, month=start)
        months = (this.year - start.year) * 12 + this.month - start.month - unpaid
        pay(member, [month_label(add_months(start, i)) for i in range(months)])
    return world


def test_branch_and_committee_see_the_branch_in_arrears(behind):
    row = ("2 名党员欠缴党费（最长 2 个月）", "预算处党支部", "催缴党费")
    assert _dues_rows(behind, "sec_a") == [row]
    assert _dues_rows(behind, "c1_admin") == [row]
    assert _dues_rows(behind, "sec_b") == []


def test_work_committee_gets_the_rate_not_the_branches_rows(behind):
    assert _dues_rows(behind, "wc_admin") == []
    figures = {f.label: f for f in workbench_for(behind.user("wc_admin")).figures}
    assert figures["本月党费收缴率"].note.startswith("已交 0 / ")


def test_month_end_week_lists_who_has_not_paid_this_month(behind):
    this = current_month()
    last_day = add_months(this, 1, first=True) - dt.timedelta(days=1)
    rows = _dues_rows(behind, "sec_a", today=last_day)
    assert ("本月党费未交 4 人（已交 0 / 4）", "预算处党支部", "登记党费") in rows
    pay(behind.members_a[2], [month_label(this)])
    rows = _dues_rows(behind, "c1_admin", today=last_day)
    assert ("本月党费未交 3 人（已交 1 / 4）", "预算处党支部", "登记党费") in rows
    assert not any(r[2] == "登记党费" for r in _dues_rows(behind, "wc_admin", today=last_day))
    # Earlier in the month: not yet a to-do.
    assert not any(r[2] == "登记党费" for r in _dues_rows(behind, "sec_a", today=this))


def _rate(world, user, today=None):
    figure = next(
        f
        for f in workbench_for(world.user(user), today=today).figures
        if f.label == "本月党费收缴率"
    )
    return figure.value, figure.note


def test_work_committee_rate_is_read_from_the_kept_figures_when_they_stand_at_this_month(
    behind,
):
    from dangjian.dashboard.services import figures_rebuild
    from tests.factories import SYSTEM

    this = current_month()
    pay(behind.members_a[0], [month_label(this)])
    live = _rate(behind, "wc_admin")
    assert "统计" not in live[1]  # nothing kept yet: counted live
    figures_rebuild(actor=SYSTEM)
    value, note = _rate(behind, "wc_admin")
    assert value == live[0] and note.startswith(live[1]) and note.endswith("统计）")
    # A payment after the rebuild shows once the worker has rebuilt (the time says when).
    pay(behind.members_a[2], [month_label(this)])
    assert _rate(behind, "wc_admin")[0] == value
    assert "统计" not in _rate(behind, "c1_admin")[1]  # a committee's: always live
    figures_rebuild(actor=SYSTEM)
    assert _rate(behind, "wc_admin")[0] != value
    # Seen on another month than the figures stand at: counted live again.
    assert "统计" not in _rate(behind, "wc_admin", today=add_months(this, -1))[1]


def test_kept_figures_without_the_month_are_not_read(behind):
    """Figures kept by an earlier release (no month counts): the rate is counted live."""
    from dangjian.dashboard.models import PanelFigure
    from dangjian.dashboard.services import figures_rebuild
    from tests.factories import SYSTEM

    live = _rate(behind, "wc_admin")
    figures_rebuild(actor=SYSTEM)
    row = PanelFigure.objects.get(org=behind.w, panel="dues")
    row.figures = {k: v for k, v in row.figures.items() if not k.startswith(("month", "prev"))}
    row.save()
    assert _rate(behind, "wc_admin") == live
