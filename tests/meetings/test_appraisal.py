"""民主评议党员: self-assessment, mutual ratings, the board's rating, statistics, follow-up."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.assessment.models import Rectification
from dangjian.core.errors import Conflict, DomainError
from dangjian.meetings import selectors, services
from tests.factories import SYSTEM, make_user

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def appraisal(world):
    return services.appraisal_open(actor=world.user("sec_a"), org=world.a, year=YEAR)


def test_opening_lists_every_party_member_once(world, appraisal):
    assert appraisal.entries.count() == 4
    with pytest.raises(Conflict, match="已开展"):
        services.appraisal_open(actor=SYSTEM, org=world.a, year=YEAR)


def test_mutual_ratings_are_counted_per_member(world, appraisal):
    a1, _a2, a3, a4 = world.members_a
    u3 = make_user("u3", member=a3)
    services.appraisal_rate(
        actor=world.user("member_a"),
        appraisal=appraisal,
        ratings={a1.pk: "excellent", a3.pk: "qualified", a4.pk: "qualified"},
    )
    services.appraisal_rate(
        actor=u3, appraisal=appraisal, ratings={a1.pk: "excellent", a4.pk: "unqualified"}
    )
    # Rating again replaces the rater's earlier ratings.
    services.appraisal_rate(actor=u3, appraisal=appraisal, ratings={a4.pk: "basically_qualified"})
    stats = selectors.appraisal_stats(appraisal)
    assert stats["per_member"][a1.pk] == {"excellent": 2}
    assert stats["per_member"][a4.pk] == {"qualified": 1, "basically_qualified": 1}
    assert stats["raters"] == 2


def test_cannot_rate_oneself(world, appraisal):
    with pytest.raises(DomainError, match="不能评自己"):
        services.appraisal_rate(
            actor=world.user("member_a"),
            appraisal=appraisal,
            ratings={world.members_a[1].pk: "excellent"},
        )


def test_self_assessment_needs_some_words(world, appraisal):
    with pytest.raises(DomainError, match="至少10个字"):
        services.appraisal_self_assess(
            actor=world.user("member_a"), appraisal=appraisal, text="很好"
        )
    entry = services.appraisal_self_assess(
        actor=world.user("member_a"),
        appraisal=appraisal,
        text="一年来认真学习，按时参加组织生活，按月交纳党费。",
    )
    assert entry.member == world.members_a[1]


def test_unqualified_rating_opens_a_follow_up(world, appraisal):
    a1, a2, a3, a4 = world.members_a
    deadline = timezone.localdate() + dt.timedelta(days=180)
    ratings = {a1.pk: "excellent", a2.pk: "qualified", a3.pk: "qualified", a4.pk: "unqualified"}
    services.appraisal_finalize(
        actor=world.user("sec_a"), appraisal=appraisal, ratings=ratings, followup_deadline=deadline
    )
    appraisal.refresh_from_db()
    assert appraisal.status == "finalized"
    stats = selectors.appraisal_stats(appraisal)
    assert stats["final"] == {
        "excellent": 1,
        "qualified": 2,
        "basically_qualified": 0,
        "unqualified": 1,
    }
    rect = Rectification.objects.get()
    assert (rect.owner, rect.deadline, rect.status) == (a4, deadline, "open")
    entry = appraisal.entries.get(member=a4)
    assert rect.source == entry
    with pytest.raises(Conflict):
        services.appraisal_finalize(
            actor=SYSTEM, appraisal=appraisal, ratings=ratings, followup_deadline=deadline
        )


def test_finalizing_needs_every_rating_and_a_deadline_for_unqualified(world, appraisal):
    a1, a2, a3, a4 = world.members_a
    with pytest.raises(DomainError) as exc:
        services.appraisal_finalize(
            actor=SYSTEM, appraisal=appraisal, ratings={a1.pk: "unqualified"}
        )
    fields = {e["field"] for e in exc.value.errors}
    assert {str(a2.pk), str(a3.pk), str(a4.pk), "followup_deadline"} <= fields
    assert not Rectification.objects.exists()


def test_appraisal_api_flow(world, api_for):
    sec = api_for(world.user("sec_a"))
    resp = sec.post(
        "/api/v1/meetings/appraisals",
        {"org": world.a.pk, "year": YEAR},
        content_type="application/json",
    )
    assert resp.status_code == 201
    pk = resp.json()["id"]
    a1 = world.members_a[0]
    member = api_for(world.user("member_a"))
    assert member.post(
        f"/api/v1/meetings/appraisals/{pk}/ratings",
        {"ratings": {str(a1.pk): "excellent"}},
        content_type="application/json",
    ).json() == {"rated": 1}
    detail = sec.get(f"/api/v1/meetings/appraisals/{pk}").json()
    assert detail["stats"]["per_member"][str(a1.pk)] == {"excellent": 1}
    other = api_for(world.user("sec_b"))
    assert other.get(f"/api/v1/meetings/appraisals/{pk}").status_code == 404
    assert (
        other.post(
            f"/api/v1/meetings/appraisals/{pk}/ratings",
            {"ratings": {}},
            content_type="application/json",
        ).status_code
        == 404
    )
