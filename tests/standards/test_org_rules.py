import datetime as dt

import pytest

from dangjian.orgs.services import board_create, position_assign
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from tests.factories import SYSTEM, make_member, make_org

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def status_of(root, code, org, today=TODAY):
    found = [f for f in evaluate(root, P.year(today.year), today=today, codes=[code])]
    return {f.org_id: f for f in found}.get(org.pk)


def branch_with(world, full: int, probationary: int = 0, name="测试支部"):
    branch = make_org(name, "branch", world.c1)
    members = [make_member(branch, f"正式{i}") for i in range(full)]
    members += [make_member(branch, f"预备{i}", status="probationary") for i in range(probationary)]
    return branch, members


def test_branch_needs_three_full_members(world):
    two, _ = branch_with(world, 2, probationary=3, name="两人支部")
    three, _ = branch_with(world, 3, name="三人支部")
    assert status_of(world.c1, "ORG-1", two).status == "violation"
    assert status_of(world.c1, "ORG-1", three).status == "ok"


def test_branch_of_fifty_members_is_fine_and_fifty_one_is_not(world):
    fifty, _ = branch_with(world, 45, probationary=5, name="五十人支部")
    assert status_of(world.c1, "ORG-1", fifty).status == "ok"
    make_member(fifty, "第五十一人", status="probationary")
    found = status_of(world.c1, "ORG-1", fifty)
    assert found.status == "violation" and "超过50人" in found.message


def test_seven_full_members_need_a_board_of_three(world):
    branch, members = branch_with(world, 7, name="七人支部")
    position_assign(actor=SYSTEM, org=branch, role="secretary", member=members[0])
    found = status_of(world.c1, "ORG-2", branch)
    assert found.status == "violation" and "应设立支部委员会" in found.message
    board_create(
        actor=SYSTEM, org=branch, term_start=dt.date(2025, 1, 1), term_end=dt.date(2028, 1, 1)
    )
    position_assign(actor=SYSTEM, org=branch, role="organizer", member=members[1])
    assert status_of(world.c1, "ORG-2", branch).status == "violation"  # 2 seats < 3
    position_assign(actor=SYSTEM, org=branch, role="publicity", member=members[2])
    assert status_of(world.c1, "ORG-2", branch).status == "ok"


def test_committee_in_office_counts_without_a_term_record(world):
    branch, members = branch_with(world, 8, name="八人支部")
    position_assign(actor=SYSTEM, org=branch, role="secretary", member=members[0])
    position_assign(actor=SYSTEM, org=branch, role="organizer", member=members[1])
    position_assign(actor=SYSTEM, org=branch, role="publicity", member=members[2])
    found = status_of(world.c1, "ORG-2", branch)
    assert found.status == "ok", found.message
    assert found.actual == "正式党员8，支委3"
    # The missing term record is the term rule's business, not the committee rule's.
    assert status_of(world.c1, "ORG-5", branch).actual == "未登记班子"


def test_committee_of_two_in_office_is_short_even_with_a_term_record(world):
    branch, members = branch_with(world, 8, name="八人支部")
    board_create(
        actor=SYSTEM, org=branch, term_start=dt.date(2025, 1, 1), term_end=dt.date(2028, 1, 1)
    )
    position_assign(actor=SYSTEM, org=branch, role="secretary", member=members[0])
    position_assign(actor=SYSTEM, org=branch, role="organizer", member=members[1])
    found = status_of(world.c1, "ORG-2", branch)
    assert found.status == "violation" and "现有委员2人，少于3人" in found.message


def test_six_full_members_need_only_a_secretary(world):
    branch, members = branch_with(world, 6, name="六人支部")
    assert "未配备书记" in status_of(world.c1, "ORG-2", branch).message
    position_assign(actor=SYSTEM, org=branch, role="secretary", member=members[0])
    assert status_of(world.c1, "ORG-2", branch).status == "ok"


@pytest.mark.parametrize(
    ("term_end", "status"),
    [
        (TODAY + dt.timedelta(days=200), "ok"),  # more than 6 months ahead
        (TODAY + dt.timedelta(days=150), "due"),  # inside 6 months: remind
        (TODAY - dt.timedelta(days=30), "overdue"),  # expired, within the 1-year delay
        (TODAY - dt.timedelta(days=400), "violation"),  # expired more than a year ago
    ],
)
def test_term_expiry_reminds_six_months_ahead(world, term_end, status):
    board_create(
        actor=SYSTEM, org=world.a, term_start=term_end - dt.timedelta(days=1095), term_end=term_end
    )
    assert status_of(world.c1, "ORG-6", world.a).status == status


def test_branch_term_longer_than_three_years_is_flagged(world):
    board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2025, 1, 1), term_end=dt.date(2030, 1, 1)
    )
    found = status_of(world.c1, "ORG-5", world.a)
    assert found.status == "violation" and "超过3年" in found.message


def test_secretary_needs_one_year_of_party_age(world):
    branch = make_org("新支部", "branch", world.c1)
    junior = make_member(branch, "新党员", full_at=TODAY - dt.timedelta(days=300))
    position_assign(actor=SYSTEM, org=branch, role="secretary", member=junior)
    assert status_of(world.c1, "ORG-7", branch).status == "violation"
    senior_branch = make_org("老支部", "branch", world.c1)
    senior = make_member(senior_branch, "老党员", full_at=TODAY.replace(year=TODAY.year - 1))
    position_assign(actor=SYSTEM, org=senior_branch, role="secretary", member=senior)
    assert status_of(world.c1, "ORG-7", senior_branch).status == "ok"


def test_general_branch_and_committee_sizes(world):
    general = make_org("总支", "general_branch", world.c1)
    sub = make_org("总支下支部", "branch", general)
    for i in range(49):
        make_member(sub, f"党员{i}")
    assert status_of(world.c1, "ORG-3", general).status == "violation"  # 49 < 50
    make_member(sub, "第五十人")
    assert status_of(world.c1, "ORG-3", general).status == "ok"
    committee = status_of(world.w, "ORG-4", world.c1)
    assert committee.status == "violation" and "少于100人" in committee.message
