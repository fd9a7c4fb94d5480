"""ENG-1 (late replies) as a compliance finding and as reminders; the two assessment
metrics; the demo step."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangjian.core import metrics
from dangjian.core.models import Notification
from dangjian.engagement import services
from dangjian.engagement.models import Consultation, Survey, SurveyResponse
from dangjian.engagement.tasks import reply_reminders
from tests.engagement.conftest import make_consultation, make_survey
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def _late(org, days=10):
    today = timezone.localdate()
    return make_consultation(org, actor=None, today=today - dt.timedelta(days=days))


def test_late_reply_is_a_finding_of_its_org(world):
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    _late(world.a)
    make_consultation(world.b, actor=None)  # not yet due
    today = timezone.localdate()
    period = P.containing("year", today)
    findings = [
        f for f in evaluate(world.c1, period, today=today, codes=["ENG-1"]) if f.status != "ok"
    ]
    assert [f.org_id for f in findings] == [world.a.pk]
    assert "1 件" in findings[0].actual


def test_reminders_go_to_the_handlers_and_the_org_above_once(world):
    _late(world.a)
    sent = reply_reminders()
    assert sent["late"] >= 2  # sec_a, and c1_admin above
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert {"sec_a", "c1_admin"} <= users
    assert reply_reminders()["late"] == 0  # idempotent
    call_command("engagement_reminders", "--today", timezone.localdate().isoformat())


def test_survey_satisfaction_metric_reads_rating_points(world):
    m = metrics.get("engagement:survey_satisfaction")
    survey = make_survey(world.a, satisfaction=True)
    for user, stars in (("member_a", 5), ("peer_a", 3)):
        services.survey_respond(
            actor=world.user(user), survey=survey, answers=[[0], [0], [], [stars], [0, 0]]
        )
    year = survey.opens_on.year
    values = m.compute([world.a, world.b], year)
    assert values[world.a.pk].numerator == 8 and values[world.a.pk].denominator == 10
    assert world.b.pk not in values  # 缺项, never 0
    above = m.compute([world.c1], year)  # the committee reads its subtree
    assert above[world.c1.pk].numerator == 8


def test_replies_on_time_metric(world):
    m = metrics.get("engagement:replies_on_time")
    item = _late(world.a, days=30)
    services.consultation_reply(actor=SYSTEM, consultation=item, text="迟到的答复")
    values = m.compute([world.a], item.due_on.year)
    assert values[world.a.pk].numerator == 0 and values[world.a.pk].denominator == 1


def test_demo_builds_consultations_and_a_survey_with_responses(world):
    from dangjian.core.demo import DemoContext
    from dangjian.engagement import demo

    ctx = DemoContext(
        today=timezone.localdate(),
        random=random.Random(2026),
        scale="demo",
        small=True,
        actor=SYSTEM,
        work_committee=world.w,
        branches=[world.a, world.b, world.d],
        featured=world.a,
        accounts={"shuji": world.user("sec_a"), "dangyuan": world.user("member_a")},
    )
    demo.build(ctx)
    assert Consultation.objects.filter(status="answered").count() == 4
    assert Consultation.objects.filter(faq_published=True).count() == 2
    assert Consultation.objects.exclude(rating=None).count() == 4
    assert Survey.objects.filter(satisfaction=True).count() == 1
    assert SurveyResponse.objects.count() == 13


def test_workbench_lists_late_replies_for_the_handlers_only(world):
    from dangjian.core.workbench import OVERDUE, workbench_for

    item = _late(world.a, days=8)
    todos = [t for t in workbench_for(world.user("sec_a")).all_todos if t.source == "线上咨询"]
    assert [(t.status, t.action) for t in todos] == [(OVERDUE, "答复")]
    assert todos[0].url.endswith(f"/engagement/consultations/{item.pk}/")
    assert not [t for t in workbench_for(world.user("sec_b")).all_todos if t.source == "线上咨询"]
