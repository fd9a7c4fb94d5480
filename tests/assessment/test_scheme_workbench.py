"""The workbench lists what each user must score and review in published schemes."""

import pytest
from django.utils import timezone

from dangjian.assessment.schemes import services
from dangjian.core.workbench import workbench_for
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(world):
    s = services.scheme_create(
        actor=SYSTEM,
        org=world.w,
        title="年度党建考核",
        year=timezone.localdate().year,
        target_kind="branch",
        indicators=[{"code": "A2", "title": "特色工作", "max_score": 20, "method": "manual"}],
    )
    return services.scheme_publish(actor=SYSTEM, scheme=s)


def whats(user):
    return [t.what for t in workbench_for(user).all_todos if t.source == "考核"]


def test_the_scorer_sees_the_targets_left_and_the_reviewer_the_scores_to_review(world, scheme):
    wc = world.user("wc_admin")
    assert whats(wc) == ["考核评分：A2 特色工作（3 个党支部待评）"]
    assert whats(world.user("sec_a")) == []
    services.score_record(
        actor=wc, scheme=scheme, indicator=scheme.indicators.get(), org=world.a, score=10
    )
    assert whats(wc) == ["考核评分：A2 特色工作（2 个党支部待评）"]  # not their own review
    assert "复核考核评分：1 项待复核" in whats(world.user("admin"))
