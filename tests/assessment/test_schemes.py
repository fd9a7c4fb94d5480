"""Assessment schemes (issue 13 parts 1-2): design, ANT-2, automatic values from metrics,
缺项, manual scores and the reviewer rule, freezing on close, versions, ranking of orgs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.assessment.schemes import services
from dangjian.assessment.schemes.models import Scheme, Score
from dangjian.assessment.schemes.results import scheme_results
from dangjian.core import metrics
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.metrics import Reading
from tests.factories import SYSTEM, make_org

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def fixed_metric():
    """A test metric: branch A at 3/4, branch B at 1/2, branch D without data."""
    values = {}

    def compute(orgs, year):
        return {o.pk: values[o.pk] for o in orgs if o.pk in values}

    metrics.metric("testapp:rate", title="测试比率", source=lambda org, year: f"/x/{org.pk}")(
        compute
    )
    yield values
    metrics._metrics.pop("testapp:rate")


def make_scheme(world, actor=SYSTEM, org=None, **extra):
    return services.scheme_create(
        actor=actor,
        org=org or world.w,
        title="2026年度党建工作考核",
        year=YEAR,
        target_kind="branch",
        indicators=extra.pop(
            "indicators",
            [
                {
                    "code": "A1",
                    "title": "组织生活",
                    "max_score": 30,
                    "method": "auto",
                    "metric": "testapp:rate",
                },
                {"code": "A2", "title": "特色工作", "max_score": 20, "method": "manual"},
            ],
        ),
        **extra,
    )


def test_an_automatic_indicator_scores_max_times_the_rate(world, fixed_metric):
    fixed_metric.update({world.a.pk: Reading(3, 4), world.b.pk: Reading(1, 2)})
    scheme = make_scheme(world)
    rows = {r.org.pk: r for r in scheme_results(scheme).rows}
    a1 = rows[world.a.pk].cells[0]
    assert (a1.status, a1.value, a1.score) == ("auto", Decimal("0.75"), Decimal("22.50"))
    assert a1.source == f"/x/{world.a.pk}"
    assert rows[world.b.pk].cells[0].score == Decimal("15.00")


def test_missing_data_is_missing_never_zero_and_the_total_incomplete(world, fixed_metric):
    fixed_metric.update({world.a.pk: Reading(3, 4), world.b.pk: Reading(0, 0)})
    scheme = make_scheme(world)
    rows = {r.org.pk: r for r in scheme_results(scheme).rows}
    for org in (world.b, world.d):
        cell = rows[org.pk].cells[0]
        assert cell.status == "missing" and cell.score is None
    a = rows[world.a.pk]
    assert a.cells[1].status == "missing"  # manual, not yet scored
    assert a.complete is False and a.grade == "" and a.rank is None
    assert a.total == Decimal("22.50")


def test_the_steps_mapping_and_a_count_metric(world, fixed_metric):
    fixed_metric.update({world.a.pk: Reading(95, 100), world.b.pk: Reading(70, 100)})
    scheme = make_scheme(
        world,
        indicators=[
            {
                "code": "A1",
                "title": "组织生活",
                "max_score": 10,
                "method": "auto",
                "metric": "testapp:rate",
                "mapping": {
                    "kind": "steps",
                    "steps": [{"min": 0.9, "ratio": 1}, {"min": 0.8, "ratio": 0.6}],
                },
            }
        ],
    )
    rows = {r.org.pk: r for r in scheme_results(scheme).rows}
    assert rows[world.a.pk].cells[0].score == Decimal("10.00")
    assert rows[world.b.pk].cells[0].score == Decimal("0.00")


@pytest.mark.parametrize(
    "metric,title",
    [
        ("learning:study_time", "学习情况"),
        ("learning:points", "学习积分"),
        ("engagement:votes", "投票"),
    ],
)
def test_an_indicator_over_study_time_points_or_votes_is_refused_citing_ant2(world, metric, title):
    with pytest.raises(DomainError) as exc:
        make_scheme(
            world,
            indicators=[
                {"code": "B1", "title": title, "max_score": 10, "method": "auto", "metric": metric}
            ],
        )
    assert exc.value.rule == "ANT-2" and "ANT-2" in exc.value.message
    assert not Scheme.objects.exists()


def test_a_manual_indicator_named_after_likes_is_refused(world):
    with pytest.raises(DomainError, match="ANT-2"):
        make_scheme(
            world,
            indicators=[{"code": "B1", "title": "文章点赞量", "max_score": 5, "method": "manual"}],
        )


def test_an_unknown_metric_is_a_clear_error(world):
    with pytest.raises(DomainError, match="平台没有名为 nosuch:metric 的指标"):
        make_scheme(
            world,
            indicators=[
                {
                    "code": "B1",
                    "title": "x",
                    "max_score": 5,
                    "method": "auto",
                    "metric": "nosuch:metric",
                }
            ],
        )


@pytest.fixture
def published(world, fixed_metric):
    fixed_metric.update({world.a.pk: Reading(1, 1), world.b.pk: Reading(1, 2)})
    scheme = make_scheme(world)
    return services.scheme_publish(actor=SYSTEM, scheme=scheme)


def _a2(scheme):
    return scheme.indicators.get(code="A2")


def test_scorer_and_reviewer_must_differ(world, published):
    wc = world.user("wc_admin")
    score = services.score_record(
        actor=wc, scheme=published, indicator=_a2(published), org=world.a, score=18, comment="好"
    )
    assert score.status == "scored"
    with pytest.raises(DomainError, match="评分人与复核人须为不同的人"):
        services.score_review(actor=wc, score=score)
    reviewed = services.score_review(actor=world.user("admin"), score=score)
    assert reviewed.status == "reviewed" and reviewed.reviewer == world.user("admin")
    rows = {r.org.pk: r for r in scheme_results(published).rows}
    a = rows[world.a.pk]
    assert [c.status for c in a.cells] == ["auto", "reviewed"]
    assert a.complete and a.total == Decimal("48.00") and a.grade == "好" and a.rank == 1


def test_automatic_values_cannot_be_entered_by_hand(world, published):
    with pytest.raises(DomainError, match="自动指标"):
        services.score_record(
            actor=world.user("wc_admin"),
            scheme=published,
            indicator=published.indicators.get(code="A1"),
            org=world.a,
            score=30,
        )


def test_only_the_scoring_org_scores_and_scores_stay_in_range(world, published):
    with pytest.raises(Forbidden):
        services.score_record(
            actor=world.user("sec_a"),
            scheme=published,
            indicator=_a2(published),
            org=world.a,
            score=5,
        )
    with pytest.raises(DomainError, match="0到20"):
        services.score_record(
            actor=world.user("wc_admin"),
            scheme=published,
            indicator=_a2(published),
            org=world.a,
            score=25,
        )
    with pytest.raises(DomainError, match="不是本方案的考核对象"):
        services.score_record(
            actor=world.user("wc_admin"),
            scheme=published,
            indicator=_a2(published),
            org=world.c1,
            score=5,
        )


def test_closing_freezes_the_automatic_values_with_the_date(world, published, fixed_metric):
    on = timezone.localdate()
    services.scheme_close(actor=SYSTEM, scheme=published, on=on)
    frozen = Score.objects.get(indicator__code="A1", org=world.b)
    assert (frozen.status, frozen.score, frozen.frozen_on) == ("auto", Decimal("15.00"), on)
    fixed_metric[world.b.pk] = Reading(2, 2)  # the platform changes afterwards
    rows = {r.org.pk: r for r in scheme_results(Scheme.objects.get(pk=published.pk)).rows}
    assert rows[world.b.pk].cells[0].score == Decimal("15.00")
    assert rows[world.d.pk].cells[0].status == "missing"
    with pytest.raises(Conflict):
        services.score_record(
            actor=world.user("wc_admin"),
            scheme=published,
            indicator=_a2(published),
            org=world.a,
            score=5,
        )


def test_a_revision_is_a_new_version_that_supersedes_the_old(world, published):
    new = services.scheme_revise(actor=SYSTEM, scheme=published)
    assert (new.version, new.status, new.indicators.count()) == (2, "draft", 2)
    services.indicator_add(
        actor=SYSTEM, scheme=new, code="A3", title="扣分：违规事项", max_score=5, method="deduction"
    )
    on = timezone.localdate() + dt.timedelta(days=1)
    services.scheme_publish(actor=SYSTEM, scheme=new, effective_from=on)
    published.refresh_from_db()
    assert (published.status, published.effective_to) == ("superseded", on)


def test_a_second_scheme_for_the_same_org_year_and_kind_conflicts(world, fixed_metric):
    make_scheme(world)
    with pytest.raises(Conflict, match="请在原方案上修订"):
        make_scheme(world)


def test_ranking_is_of_orgs_by_total_and_equal_totals_share_a_rank(world, fixed_metric):
    fixed_metric.update(
        {world.a.pk: Reading(1, 1), world.b.pk: Reading(1, 1), world.d.pk: Reading(1, 2)}
    )
    scheme = make_scheme(
        world,
        indicators=[
            {
                "code": "A1",
                "title": "组织生活",
                "max_score": 30,
                "method": "auto",
                "metric": "testapp:rate",
            }
        ],
    )
    ranks = {r.org.pk: r.rank for r in scheme_results(scheme).rows}
    assert ranks == {world.a.pk: 1, world.b.pk: 1, world.d.pk: 3}


def test_results_take_a_constant_number_of_queries(world, fixed_metric):
    scheme = make_scheme(world)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            scheme_results(Scheme.objects.get(pk=scheme.pk))
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        make_org(f"新增党支部{i}", "branch", world.c2)
    assert count() == before


def test_each_method_deduction_evidence_and_survey(world, fixed_metric):
    fixed_metric.update({world.a.pk: Reading(1, 1)})
    scheme = make_scheme(
        world,
        indicators=[
            {"code": "A", "title": "基础工作", "max_score": 1, "method": "manual"},
            {
                "code": "A1",
                "title": "组织生活",
                "max_score": 30,
                "method": "auto",
                "metric": "testapp:rate",
                "parent": "A",
            },
            {
                "code": "E1",
                "title": "制度建设",
                "max_score": 10,
                "method": "evidence",
                "criteria": "制度健全得10分",
                "parent": "A",
            },
            {"code": "D1", "title": "违纪问题", "max_score": 10, "method": "deduction"},
        ],
    )
    services.scheme_publish(actor=SYSTEM, scheme=scheme)
    wc = world.user("wc_admin")
    for code, points, evidence in (("E1", 8, "见党委会纪要"), ("D1", 5, "")):
        services.score_record(
            actor=wc,
            scheme=scheme,
            indicator=scheme.indicators.get(code=code),
            org=world.a,
            score=points,
            evidence=evidence,
        )
    with pytest.raises(DomainError, match="分类指标不直接评分"):
        services.score_record(
            actor=wc, scheme=scheme, indicator=scheme.indicators.get(code="A"), org=world.a, score=1
        )
    row = next(r for r in scheme_results(scheme).rows if r.org == world.a)
    assert [c.indicator.code for c in row.cells] == ["A1", "E1", "D1"]  # headings not scored
    assert row.total == Decimal("33.00")  # 30 + 8 - 5
    assert row.max_total == Decimal("40.00")  # a deduction adds nothing to the maximum
    assert Score.objects.get(indicator__code="E1").evidence == "见党委会纪要"
    with pytest.raises(DomainError, match="平台没有名为"):
        make_scheme(
            world,
            org=world.c1,
            indicators=[
                {
                    "code": "S1",
                    "title": "满意度",
                    "max_score": 5,
                    "method": "survey",
                    "metric": "x:y",
                }
            ],
        )
