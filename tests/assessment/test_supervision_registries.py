"""What supervision contributes to the registries: SUP-2 to the standards engine, the
inspection metric to the assessment, the workbench items; and lists with constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.assessment.supervision import duty, inspections, talks
from dangjian.core import metrics
from dangjian.core.workbench import workbench_for
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from dangjian.standards.models import Rule
from tests.factories import SYSTEM, give_role, make_member, make_org, make_user

pytestmark = pytest.mark.django_db
TEXT = "本年度支部落实三会一课、党费收缴和学习教育情况的述职报告，存在不足和整改方向。"


def today():
    return timezone.localdate()


def sup2(world, on):
    return {f.org_id: f for f in evaluate(world.w, P.year(on.year), today=on, codes=["SUP-2"])}


def test_sup2_is_in_the_library_with_its_source():
    rule = Rule.objects.filter(code="SUP-2").order_by("-version").first()
    assert rule is not None and rule.checker == "duty_report"
    assert rule.standard.code == "agency" and rule.article == "第三十九条"


def test_sup2_pending_then_due_then_met(world):
    year = today().year
    found = sup2(world, dt.date(year, 6, 30))
    assert found[world.a.pk].status == "pending"
    found = sup2(world, dt.date(year, 12, 5))
    assert found[world.a.pk].status == "due" and "尚未登记" in found[world.a.pk].message
    duty.duty_report_create(
        actor=SYSTEM, org=world.a, year=year, reporter=world.members_a[0], text=TEXT
    )
    found = sup2(world, dt.date(year, 12, 5))
    assert found[world.a.pk].status == "ok"
    assert found[world.b.pk].status == "due"
    assert world.ga.pk not in found  # groups do not report


def test_metric_inspection_findings_closed(world):
    m = metrics.get("assessment:inspection_findings_closed")
    assert m is not None and m.unit == "rate"
    camp = inspections.inspection_create(
        actor=SYSTEM, org=world.c1, title="督查", year=today().year
    )
    soon = today() + dt.timedelta(days=10)
    visit = inspections.inspection_visit(
        actor=SYSTEM,
        inspection=camp,
        org=world.a,
        on=today(),
        findings=[{"text": "问题一", "deadline": soon}, {"text": "问题二", "deadline": soon}],
    )
    rect = Rectification.objects.for_source(visit).first()
    Rectification.objects.filter(pk=rect.pk).update(status="verified", verified_at=timezone.now())
    values = m.compute([world.w, world.a, world.b], today().year)
    assert values[world.a.pk].rate == 0.5 and values[world.w.pk].rate == 0.5
    assert world.b.pk not in values  # no findings: 缺项, never 0
    assert m.source_url(world.a, today().year).startswith("/assessment/inspections/")


def test_workbench_says_what_to_visit_and_rate(world):
    camp = inspections.inspection_create(
        actor=SYSTEM, org=world.c1, title="年度督查", year=today().year
    )
    bench = workbench_for(world.user("c1_admin"))
    visit = [t for t in bench.all_todos if t.source == "督查"]
    assert len(visit) == 1 and "还有 2 个党支部未督查" in visit[0].what
    assert visit[0].url.endswith(f"/assessment/inspections/{camp.pk}/")
    report = duty.duty_report_create(
        actor=SYSTEM, org=world.a, year=today().year, reporter=world.members_a[0], text=TEXT
    )
    bench = workbench_for(world.user("c1_admin"))
    rate = [t for t in bench.all_todos if t.source == "述职评议" and t.action == "评议"]
    assert [t.url for t in rate] == [f"/assessment/duty-reports/{report.pk}/"]
    duty.duty_ballot_cast(actor=world.user("c1_admin"), report=report, rating="good")
    bench = workbench_for(world.user("c1_admin"))
    assert not [t for t in bench.all_todos if t.action == "评议"]
    # sec_a reports; he does not rate himself.
    assert not [t for t in workbench_for(world.user("sec_a")).all_todos if t.action == "评议"]


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_make_constant_queries(world, client_for):
    client = client_for(world.user("wc_admin"))
    client.get("/")
    urls = ["/assessment/inspections/", "/assessment/duty-reports/", "/assessment/talks/"]
    year = today().year

    def add(n):
        branch = make_org(f"新增党支部{n}", "branch", world.c2)
        sec = make_member(branch, f"新书记{n}")
        give_role(make_user(f"newsec{n}", member=sec), branch, "secretary")
        inspections.inspection_create(actor=SYSTEM, org=world.c2, title=f"督查{n}", year=year)
        duty.duty_report_create(actor=SYSTEM, org=branch, year=year, reporter=sec, text=TEXT)
        talks.talk_create(
            actor=SYSTEM, kind="reminder", org=branch, member=sec, reason="提醒", on=today()
        )

    add(1)
    before = [_count(client, u) for u in urls]
    for n in range(2, 6):
        add(n)
    after = [_count(client, u) for u in urls]
    assert before == after


def test_inspection_board_queries_do_not_grow_with_targets(world, client_for):
    client = client_for(world.user("wc_admin"))
    client.get("/")
    small = inspections.inspection_create(actor=SYSTEM, org=world.c2, title="小", year=today().year)
    for n in range(6):
        make_org(f"加测党支部{n}", "branch", world.c1)
    big = inspections.inspection_create(actor=SYSTEM, org=world.w, title="大", year=today().year)
    assert big.coverage["targets"] == 9
    assert _count(client, f"/assessment/inspections/{small.pk}/") == _count(
        client, f"/assessment/inspections/{big.pk}/"
    )


def test_metric_duty_rating_counts_good_and_fair(world):
    m = metrics.get("assessment:duty_rating")
    year = today().year
    assert m.compute([world.a, world.b], year) == {}  # no appraisal: 缺项 for both
    report = duty.duty_report_create(
        actor=SYSTEM, org=world.a, year=year, reporter=world.members_a[0], text=TEXT
    )
    for name, rating in (("member_a", "good"), ("peer_a", "average"), ("c1_admin", "fair")):
        duty.duty_ballot_cast(actor=world.user(name), report=report, rating=rating)
    values = m.compute([world.c1, world.a, world.b], year)
    assert (values[world.a.pk].numerator, values[world.a.pk].denominator) == (2, 3)
    assert values[world.c1.pk].denominator == 3 and world.b.pk not in values
