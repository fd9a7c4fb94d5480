"""DSC rules as data: DSC-4 (a local publishing deadline) is off as shipped and flags items
waiting past its working days once enabled; DSC-3 decides the disclosure's items; the
workbench shows reviewers what waits for them, never their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.publicity import services
from dangjian.publicity.models import Article
from dangjian.publicity.workbench import add_working_days, publications_to_act_on
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from dangjian.standards.models import Rule
from tests.publicity.conftest import make_article, staff_trio

pytestmark = pytest.mark.django_db


def _late_article(world, writer):
    article = services.publication_submit(actor=writer, item=make_article(world.a, author=writer))
    Article.objects.filter(pk=article.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=30)
    )
    return article


def test_working_days_skip_weekends():
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Fri → Mon
    assert add_working_days(dt.date(2026, 11, 30), 10) == dt.date(2026, 12, 14)


def test_dsc4_is_off_as_shipped_and_flags_late_items_when_enabled(world):
    writer, _, _ = staff_trio(world)
    _late_article(world, writer)
    today = timezone.localdate()
    period = P.containing("year", today)
    assert [f for f in evaluate(world.w, period, today=today, codes=["DSC-4"])] == []
    Rule.objects.filter(code="DSC-4").update(enabled=True)
    found = [
        f for f in evaluate(world.w, period, today=today, codes=["DSC-4"]) if f.org_id == world.a.pk
    ]
    assert len(found) == 1 and found[0].status == "overdue"
    assert "1 项公开事项" in found[0].message


def test_dsc3_items_come_from_the_library(world):
    rule = Rule.objects.get(code="DSC-3")
    rule.params = {"items": ["life", "dues"]}
    rule.save()
    disclosure = services.disclosure_assemble(actor=staff_trio(world)[0], org=world.a, year=2026)
    assert list(disclosure.items.values_list("kind", flat=True)) == ["life", "dues"]


def test_workbench_lists_waiting_items_for_others_not_the_author(world):
    writer, reviewer, _ = staff_trio(world)
    article = _late_article(world, writer)

    class Ctx:
        today = timezone.localdate()

    ctx = Ctx()
    ctx.user = reviewer
    todos = list(publications_to_act_on(ctx))
    assert [t.url for t in todos] == [f"/publicity/articles/{article.pk}/"]
    assert todos[0].action == "审核" and todos[0].due_on is None  # DSC-4 off: no deadline
    ctx.user = writer
    assert list(publications_to_act_on(ctx)) == []
    Rule.objects.filter(code="DSC-4").update(enabled=True)
    ctx.user = reviewer
    assert next(iter(publications_to_act_on(ctx))).status == "overdue"
