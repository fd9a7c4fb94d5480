"""Phase rules of joint initiatives, reach on tasks, decomposition of the key points, the
one feedback per branch and item, pledges."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.work import selectors, services
from dangjian.work.models import Feedback, Phase, PhaseChange, Task
from tests.factories import SYSTEM, make_member
from tests.work.conftest import make_initiative, make_plan, make_task

pytestmark = pytest.mark.django_db


def test_new_initiative_starts_in_plan_with_its_indicators(world):
    i = make_initiative(world.a)
    assert i.phase == Phase.PLAN
    assert [(x.name, str(x.target), x.unit) for x in i.indicators.all()] == [
        ("按期报送率", "100.00", "%")
    ]


def test_skipping_a_phase_is_a_conflict(world):
    i = make_initiative(world.a)
    with pytest.raises(Conflict, match="不能跳过"):
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.EXECUTE)


def test_going_back_is_a_conflict(world):
    i = make_initiative(world.a, phase=Phase.DEPLOY)
    with pytest.raises(Conflict):
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.PLAN)


def test_plan_without_indicators_names_what_is_missing(world):
    i = make_initiative(world.a, indicators=[], goal="")
    with pytest.raises(DomainError) as exc:
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.DEPLOY)
    assert exc.value.status == 422
    assert {e["field"] for e in exc.value.errors} == {"goal", "indicators"}


def test_deploy_needs_a_task(world):
    i = make_initiative(world.a, phase=Phase.DEPLOY)
    with pytest.raises(DomainError, match="至少交办 1 项任务"):
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.EXECUTE)
    make_task(i, org=world.a)
    assert (
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.EXECUTE).phase == "execute"
    )


def test_execute_needs_progress_which_may_come_with_the_move(world):
    i = make_initiative(world.a, phase=Phase.EXECUTE)
    with pytest.raises(DomainError, match="推进情况"):
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.REVIEW)
    i = services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.REVIEW, progress="已推进")
    assert i.phase == Phase.REVIEW and i.progress == "已推进"


def test_review_needs_actuals_and_a_meeting_or_written_review(world):
    i = make_initiative(world.a, phase=Phase.REVIEW)
    with pytest.raises(DomainError) as exc:
        services.initiative_advance(actor=SYSTEM, initiative=i, to=Phase.DONE)
    assert {e["field"] for e in exc.value.errors} == {"actuals", "review"}
    ind = i.indicators.get()
    i = services.initiative_advance(
        actor=SYSTEM, initiative=i, to=Phase.DONE, actuals={ind.pk: "98.5"}, review="基本达成"
    )
    assert i.phase == Phase.DONE and i.completed_on is not None
    ind.refresh_from_db()
    assert str(ind.actual) == "98.50"
    assert list(PhaseChange.objects.filter(initiative=i).values_list("to_phase", flat=True)) == [
        "deploy",
        "execute",
        "review",
        "done",
    ]


def test_task_goes_only_to_the_initiatives_subtree(world):
    i = make_initiative(world.a)
    with pytest.raises(DomainError, match="承办方须在预算处党支部"):
        make_task(i, org=world.b)
    with pytest.raises(DomainError):
        make_task(i, member=world.members_b[0])


def test_task_to_a_member_is_his_and_his_orgs(world):
    i = make_initiative(world.c1)
    t = make_task(i, member=world.members_a[1])
    assert t.org == world.a and t.assigner_org == world.c1
    assert Task.objects.visible_to(world.user("member_a")).filter(pk=t.pk).exists()
    assert not Task.objects.visible_to(world.user("peer_a")).filter(pk=t.pk).exists()
    assert Task.objects.manageable_by(world.user("sec_a")).filter(pk=t.pk).exists()
    assert not Task.objects.visible_to(world.user("sec_b")).filter(pk=t.pk).exists()


def test_progress_then_complete_and_no_more_reports(world):
    t = make_task(make_initiative(world.a), org=world.a, due=dt.date(2026, 7, 1))
    t = services.task_progress(actor=SYSTEM, task=t, percent=40, note="进行中")
    assert (t.status, t.percent, t.notes.count()) == ("in_progress", 40, 1)
    t = services.task_complete(actor=SYSTEM, task=t, outcome="完成", on=dt.date(2026, 6, 30))
    assert t.status == "done" and t.on_time
    with pytest.raises(Conflict):
        services.task_progress(actor=SYSTEM, task=t, percent=50, note="再报")


def test_percent_over_100_is_refused(world):
    t = make_task(make_initiative(world.a), org=world.a)
    with pytest.raises(DomainError, match="0 到 100"):
        services.task_progress(actor=SYSTEM, task=t, percent=101, note="x")


def test_overdue_is_open_past_its_due_date(world):
    t = make_task(make_initiative(world.a), org=world.a, due=dt.date(2026, 6, 1))
    assert t.state(dt.date(2026, 6, 2)) == "overdue"
    assert t.state(dt.date(2026, 6, 1)) == "open"
    assert list(Task.objects.overdue(dt.date(2026, 6, 2))) == [t]


def test_publishing_key_points_gives_every_branch_a_task_per_item(world):
    plan = make_plan(world.w)
    tasks = Task.objects.filter(plan_item__plan=plan)
    assert tasks.count() == 2 * 3  # two items, branches A, B, D
    assert set(tasks.values_list("org__name", flat=True)) == {
        world.a.name,
        world.b.name,
        world.d.name,
    }
    with pytest.raises(Conflict):
        services.plan_publish(actor=SYSTEM, plan=plan)


def test_a_branch_cannot_publish_key_points(world):
    with pytest.raises(DomainError, match="党委"):
        make_plan(world.a)


def test_feedback_is_prefilled_from_the_platform(world):
    make_initiative(world.a)
    services.pledge_make(actor=SYSTEM, member=world.members_a[0], year=2026, text="承诺")
    plan = make_plan(world.c1)
    item = plan.items.first()
    facts = selectors.feedback_facts(item, world.a, today=dt.date(2026, 6, 1))
    assert facts["party_members"] == 4
    assert facts["full_members"] == 4
    assert facts["initiatives"] == 1
    assert facts["pledges"] == 1
    assert facts["meetings_held"] == 0
    assert facts["task_status"] in ("未开始", "已逾期")


def test_feedback_filed_twice_is_one_edited_feedback(world):
    plan = make_plan(world.c1)
    item = plan.items.first()
    services.feedback_file(actor=SYSTEM, item=item, org=world.a, text="第一次", facts={"a": 1})
    fb = services.feedback_file(actor=SYSTEM, item=item, org=world.a, text="第二次", facts={})
    assert Feedback.objects.filter(item=item, org=world.a).count() == 1
    assert fb.text == "第二次"


def test_feedback_before_publishing_is_a_conflict(world):
    plan = make_plan(world.c1, publish=False)
    with pytest.raises(Conflict):
        services.feedback_file(
            actor=SYSTEM, item=plan.items.first(), org=world.a, text="x", facts={}
        )


def test_one_pledge_a_year_and_its_rating(world):
    m = world.members_a[1]
    p = services.pledge_make(actor=SYSTEM, member=m, year=2026, text="带头攻坚")
    with pytest.raises(Conflict):
        services.pledge_make(actor=SYSTEM, member=m, year=2026, text="再承诺")
    p = services.pledge_fulfil(actor=SYSTEM, pledge=p, result="已完成", rating="excellent")
    assert p.get_rating_display() == "优秀"
    with pytest.raises(DomainError, match="优秀（excellent）"):
        services.pledge_fulfil(actor=SYSTEM, pledge=p, result="x", rating="best")


def test_an_applicant_makes_no_pledge(world):
    m = make_member(world.a, "候选", status="applicant")
    with pytest.raises(DomainError, match="党员"):
        services.pledge_make(actor=SYSTEM, member=m, year=2026, text="x")


def test_post_holders_must_belong_to_the_org(world):
    with pytest.raises(DomainError, match="钱七"):
        services.post_create(
            actor=SYSTEM,
            kind="vanguard",
            org=world.a,
            title="先锋岗",
            holders=[world.members_b[0]],
            started_on=dt.date(2026, 1, 1),
        )
