"""Every figure of every panel against a hand-made org: the world fixture (work committee W,
committees C1 and C2, branches A, B, D) with a year of records made through the services;
the figures are kept per org and summed up the tree."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.assessment.services import rectification_create
from dangjian.core import panels
from dangjian.core.actors import SYSTEM
from dangjian.members.models import Member
from dangjian.members.services import member_leave
from dangjian.standards.models import KeptFinding
from tests.dashboard.conftest import kept, later, rebuild, today
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_every_app_contributes_its_panel():
    keys = {p.key for p in panels.all_panels()}
    assert {
        "members",
        "meetings",
        "compliance",
        "dues",
        "development",
        "learning",
        "assessment",
        "work",
        "rectifications",
        "publicity",
        "engagement",
        "opinion",
        "talent",
    } <= keys


def test_members_panel_counts_the_structure_of_the_rolls(world):
    year = today().year
    newcomer = make_member(
        world.a,
        "古丽",
        status="probationary",
        gender="female",
        born=dt.date(year - 26, 1, 1),
        ethnicity="维吾尔族",
        education="university",
        joined_at=dt.date(year, 1, 2),
    )
    make_member(world.a, "申请人", status="applicant")  # not yet a party member
    gone = make_member(world.b, "离开者")
    member_leave(actor=SYSTEM, member=gone, on=dt.date(year, 1, 10), reason="转出")
    rebuild()
    age_old = _age_band(Member.objects.get(name="张三").birth_date)
    party_age = _party_age_band(dt.date(2008, 1, 1))
    a = kept(world.a, "members")
    assert a["total"] == 5 and a["full"] == 4 and a["probationary"] == 1
    assert a["male"] == 4 and a["female"] == 1
    assert a["han"] == 4 and a["minority"] == 1
    assert a["female_rate"] == 20.0 and a["minority_rate"] == 20.0
    assert a["age_bands.0-30"] == 1 and a[f"age_bands.{age_old}"] == 4
    assert a["education.university"] == 1 and a["education.unknown"] == 4
    assert a[f"party_age.{party_age}"] == 4  # probationary members have no party age yet
    assert sum(v for k, v in a.items() if k.startswith("age_bands.")) == a["total"]
    c1 = kept(world.c1, "members")
    assert c1["total"] == 7 and c1["female"] == 1  # B's two; the one who left is not counted
    w = kept(world.w, "members")
    assert w["total"] == 9 and w["female"] == 3 and w["minority"] == 1
    assert w["female_rate"] == round(100 * 3 / 9, 1)
    assert kept(world.d, "members")["education.unknown"] == 2
    assert newcomer.pk  # (used above: 古丽 is the probationary one)


def _age_band(born: dt.date) -> str:
    from dangjian.members.models import years_between
    from dangjian.statistics.categories import groupings

    return groupings().age_band(years_between(born, today()))


def _party_age_band(full_at: dt.date) -> str:
    from dangjian.members.models import years_between
    from dangjian.members.panels import PARTY_AGE_BANDS

    years = years_between(full_at, today())
    return next(k for low, k, _ in reversed(PARTY_AGE_BANDS) if years >= low)


def test_empty_panel_is_zero_and_its_rates_are_missing(world):
    rebuild()
    d = kept(world.d, "dues")
    learning = kept(world.d, "learning")
    assert kept(world.d, "meetings")["rate"] is None  # no plan: 缺项, never 0
    assert kept(world.d, "compliance")["rate"] is None
    assert learning["counted"] in (0, 2)
    assert d["paid"] == 0


def test_meetings_panel_counts_held_meetings_by_kind(world):
    from tests.meetings.conftest import held_meeting

    held_meeting(world.a, "general_meeting")
    held_meeting(world.a, "board_meeting")
    held_meeting(world.b, "party_lecture")
    rebuild()
    a = kept(world.a, "meetings")
    assert a["held"] == 2 and a["held.general_meeting"] == 1 and a["held.board_meeting"] == 1
    c1 = kept(world.c1, "meetings")
    assert c1["held"] == 3 and c1["held.party_lecture"] == 1
    assert kept(world.c2, "meetings")["held"] == 0
    assert kept(world.w, "meetings")["held"] == 3


def test_compliance_panel_reads_the_kept_findings_by_month(world):
    year = today().year
    now = dt.datetime.now(dt.UTC)

    def finding(org, status, month, n):
        for i in range(n):
            KeptFinding.objects.create(
                year=year,
                org=org,
                branch=org,
                rule_code=f"T-{status}-{month}-{i}",
                rule_version=1,
                rule_title="测试",
                period=f"{year}-{month:02d}",
                status=status,
                due_on=dt.date(year, month, 28),
                evaluated_at=now,
            )

    finding(world.a, "ok", 3, 3)
    finding(world.a, "violation", 3, 1)
    finding(world.b, "overdue", 4, 1)
    finding(world.b, "pending", 4, 2)  # not judged yet: left out
    rebuild()
    a = kept(world.a, "compliance")
    assert (a["judged"], a["ok"], a["violation"], a["rate"]) == (4, 3, 1, 75.0)
    assert a["rate.m03"] == 75.0 and a["rate.m04"] is None
    c1 = kept(world.c1, "compliance")
    assert (c1["judged"], c1["ok"], c1["overdue"], c1["rate"]) == (5, 3, 1, 60.0)
    assert c1["rate.m04"] == 0.0


def test_dues_panel_counts_person_months_and_money(world):
    from tests.dues.conftest import pay, set_profile

    year = today().year
    for m in world.members_a:
        set_profile(m, month=dt.date(year, 1, 1))
    pay(world.members_a[0], [dt.date(year, 1, 1), dt.date(year, 2, 1)], paid_on=today())
    rebuild()
    a = kept(world.a, "dues")
    months = today().month
    assert a["due"] == 4 * months
    assert a["paid"] == 2 and a["unpaid"] == 4 * months - 2
    assert a["rate"] == round(100 * 2 / (4 * months), 1)
    assert a["amount"] == 180.0  # 6000 base → 90.00 a month
    w = kept(world.w, "dues")
    assert w["due"] == 8 * months and w["paid"] == 2


def test_development_panel_counts_the_pipeline(world):
    year = today().year
    make_member(world.a, "申请甲", status="applicant")
    make_member(world.a, "积极乙", status="activist")
    make_member(world.b, "对象丙", status="candidate")
    make_member(world.b, "预备丁", status="probationary", joined_at=dt.date(year, 1, 5))
    rebuild()
    a = kept(world.a, "development")
    assert (a["applicant"], a["activist"], a["candidate"], a["developed"]) == (1, 1, 0, 0)
    c1 = kept(world.c1, "development")
    assert (c1["applicant"], c1["activist"], c1["candidate"], c1["developed"]) == (1, 1, 1, 1)
    assert c1["open"] == sum(c1[f"stage.{n}"] for n in range(1, 6))


def test_work_panel_counts_initiatives_and_tasks(world):
    from dangjian.work.models import Phase
    from tests.work.conftest import make_initiative, make_task

    year = today().year
    make_initiative(world.a, title="甲", year=year)
    make_initiative(world.a, title="乙", year=year, phase=Phase.DONE)
    planned_b = make_initiative(world.b, title="丙", year=year)
    make_task(planned_b, org=world.b, due=today())
    rebuild(on=later(2))
    a = kept(world.a, "work")
    assert a["initiatives"] == 2 and a["phase.plan"] == 1 and a["phase.done"] == 1
    assert a["done_rate"] == 50.0
    b = kept(world.b, "work")
    assert (b["initiatives"], b["tasks"], b["tasks_done"], b["tasks_overdue"]) == (1, 1, 0, 1)
    assert b["tasks_rate"] == 0.0
    c1 = kept(world.c1, "work")
    assert c1["initiatives"] == 3 and c1["tasks"] == a["tasks"] + 1
    assert c1["done_rate"] == round(100 / 3, 1)


def test_rectifications_panel_counts_open_and_overdue(world):
    rectification_create(
        actor=SYSTEM,
        org=world.a,
        item="会议记录不完整",
        owner=world.members_a[0],
        deadline=today(),
    )
    rectification_create(
        actor=SYSTEM,
        org=world.b,
        item="党费未按月交纳",
        owner=world.members_b[0],
        deadline=dt.date(today().year + 1, 1, 31),
    )
    rebuild(on=later(2))
    a = kept(world.a, "rectifications")
    assert (a["open"], a["overdue"], a["unclosed"]) == (1, 1, 1)
    c1 = kept(world.c1, "rectifications")
    assert (c1["open"], c1["overdue"], c1["unclosed"]) == (2, 1, 2)
    assert kept(world.c2, "rectifications")["unclosed"] == 0


def test_learning_panel_counts_members_against_edu1(world):
    rebuild()
    a = kept(world.a, "learning")
    assert a["counted"] == 4 and a["met"] == 0 and a["not_met"] == 4 and a["rate"] == 0.0
    assert kept(world.w, "learning")["counted"] == 8


def test_opinion_panel_counts_matched_items_and_cases_by_level(world):
    from tests.opinion.conftest import make_case, make_item, make_keywords

    make_keywords(world.a)
    make_keywords(world.b)
    make_case(make_item(world.a), level="major")
    make_case(make_item(world.a, title="预算执行情况网上热议"), level="general")
    make_item(world.a, title="机关食堂菜价", summary="与关注词无关")
    make_case(make_item(world.b, title="财政补贴发放慢"), level="critical")
    rebuild()
    a = kept(world.a, "opinion")
    assert (a["matched"], a["cases"], a["level.major"], a["level.general"]) == (2, 2, 1, 1)
    assert (a["open"], a["late"], a["answered"], a["answered_rate"]) == (2, 0, 0, 0.0)
    c1 = kept(world.c1, "opinion")
    assert (c1["cases"], c1["level.critical"]) == (3, 1)
    far = dt.date(today().year, 12, 31)
    rebuild(on=far)
    assert kept(world.c1, "opinion")["late"] == 3


def test_engagement_panel_counts_replies_on_time_and_satisfaction(world):
    from dangjian.engagement import services as engagement
    from tests.engagement.conftest import make_consultation

    answered = make_consultation(world.a, actor=None)
    engagement.consultation_reply(actor=SYSTEM, consultation=answered, text="已答复")
    engagement.consultation_rate(actor=None, consultation=answered, rating=4)
    make_consultation(world.a, actor=None, kind="suggestion", question="建议增加党员活动室开放时间")
    make_consultation(world.b, actor=None, kind="complaint", question="党费收据迟迟未发放")
    rebuild()
    a = kept(world.a, "engagement")
    assert (a["received"], a["kind.question"], a["kind.suggestion"]) == (2, 1, 1)
    assert (a["answered"], a["on_time"], a["on_time_rate"], a["late"]) == (1, 1, 100.0, 0)
    assert a["satisfaction"] == 80.0
    c1 = kept(world.c1, "engagement")
    assert (c1["received"], c1["kind.complaint"], c1["rated"]) == (3, 1, 1)
    rebuild(on=dt.date(today().year, 12, 31))
    assert kept(world.c1, "engagement")["late"] == 2


def test_publicity_panel_counts_what_was_published_and_what_waits(world):
    from dangjian.publicity import services as publicity
    from tests.publicity.conftest import make_article, make_notice, publish, staff_trio

    writer, reviewer, approver = staff_trio(world)
    publish(make_article(world.a, author=writer), reviewer=reviewer, approver=approver)
    waiting = make_article(world.a, author=writer, title="主题党日活动掠影")
    publicity.publication_submit(actor=writer, item=waiting)
    make_article(world.b, author=writer, title="草稿不计")
    make_notice(world.a)
    make_notice(world.c1, title="工委通知")
    rebuild()
    a = kept(world.a, "publicity")
    assert (a["articles"], a["waiting"], a["notices"], a["role_models"]) == (1, 1, 1, 0)
    c1 = kept(world.c1, "publicity")
    assert (c1["articles"], c1["waiting"], c1["notices"]) == (1, 1, 2)
    assert kept(world.b, "publicity")["articles"] == 0


def test_talent_panel_counts_the_pool_by_nominating_org(world):
    from tests.talent.conftest import make_talent

    make_talent(world.members_a[0], admit=True)
    make_talent(world.members_a[1])
    make_talent(world.members_b[0], admit=True)
    rebuild()
    a = kept(world.a, "talent")
    assert (a["pool"], a["available"], a["nominated"]) == (1, 1, 1)
    assert kept(world.c1, "talent")["pool"] == 2
