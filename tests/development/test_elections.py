"""Elections end to end: reminder (ELE-1), candidates (ELE-5, ELE-2), vote (ELE-3, ELE-4),
the new board and term recorded."""

import datetime as dt

import pytest

from dangjian.core.calendar import add_months
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry, Notification
from dangjian.development import services
from dangjian.development.models import Case
from dangjian.development.tasks import election_reminders
from dangjian.orgs.models import Board, Position
from dangjian.orgs.services import board_create
from tests.factories import SYSTEM, make_member

TODAY = dt.date.today()


@pytest.fixture
def board(world):
    return board_create(
        actor=SYSTEM,
        org=world.a,
        term_start=add_months(TODAY, -33),
        term_end=add_months(TODAY, 3),
    )


def rec(case, n, data=None, actor=SYSTEM, on=TODAY):
    return services.case_step_record(actor=actor, case=case, number=n, done_on=on, data=data or {})


def refused(rule, case, n, data):
    with pytest.raises(DomainError) as exc:
        rec(case, n, data)
    assert exc.value.rule == rule, exc.value.message
    return exc.value


def test_reminder_opens_one_case_six_months_before_term_end(world, board):
    other = board_create(
        actor=SYSTEM, org=world.b, term_start=add_months(TODAY, -20),
        term_end=add_months(TODAY, 6) + dt.timedelta(days=1),
    )  # fmt: skip
    opened = election_reminders(today=TODAY)
    assert len(opened) == 1
    case = Case.objects.get(pk=opened[0])
    assert case.org_id == world.a.pk and case.board_id == board.pk
    assert case.next_due_on == board.term_end
    assert Notification.objects.filter(user=world.user("sec_a"), title__contains="换届").exists()
    assert election_reminders(today=TODAY) == []
    # B's term ends one day beyond the window; a day later it is reached.
    assert len(election_reminders(today=TODAY + dt.timedelta(days=1))) == 1
    assert Case.objects.filter(board=other).exists()


@pytest.fixture
def case(world, board):
    case = services.election_open(actor=world.user("sec_a"), org=world.a)
    rec(case, 1, {"seats": 3})
    with pytest.raises(Forbidden):
        rec(case, 2, actor=world.user("sec_a"))
    return rec(case, 2, actor=world.user("c1_admin"))


def test_candidates_must_outnumber_seats_by_a_fifth(world, case):
    three = [m.pk for m in world.members_a[:3]]
    err = refused("ELE-5", case, 3, {"candidates": three})
    assert "至少4人" in err.message
    case = rec(case, 3, {"candidates": [m.pk for m in world.members_a]})
    assert case.current_step == 4


def test_probationary_member_cannot_stand(world, case):
    prob = make_member(world.a, "预备丙", status="probationary")
    refused("ELE-2", case, 3, {"candidates": [*[m.pk for m in world.members_a[:3]], prob.pk]})


def _to_vote(world, case):
    return rec(case, 3, {"candidates": [m.pk for m in world.members_a]})


def test_quorum_must_exceed_four_fifths(world, case):
    case = _to_vote(world, case)
    ids = [m.pk for m in world.members_a]
    votes = {str(pk): 3 for pk in ids}
    # 4 voters: more than 4/5 × 4 = 3.2 → 4 needed
    refused("ELE-3", case, 4, {"voting_members": 4, "present": 3, "votes": votes})


def test_probationary_members_do_not_count_as_voters(world, case):
    make_member(world.a, "预备丁", status="probationary")
    case = _to_vote(world, case)
    votes = {str(m.pk): 5 for m in world.members_a}
    refused("ELE-2", case, 4, {"voting_members": 5, "present": 5, "votes": votes})


def test_exactly_half_of_those_present_is_not_elected(world, case):
    case = _to_vote(world, case)
    a, b, c, d = (m.pk for m in world.members_a)
    # 4 present: more than half is 3; c has exactly half (2)
    votes = {str(a): 4, str(b): 3, str(c): 2, str(d): 2}
    err = refused("ELE-4", case, 4, {"voting_members": 4, "present": 4, "votes": votes})
    assert "只有2人" in err.message


def test_election_records_new_board_and_term(world, case, board):
    case = _to_vote(world, case)
    a, b, c, d = (m.pk for m in world.members_a)
    votes = {str(a): 4, str(b): 3, str(c): 3, str(d): 1}
    case = rec(case, 4, {"voting_members": 4, "present": 4, "votes": votes})
    assert case.records.get(number=4).data["elected"] == [a, b, c]
    start, end = TODAY, add_months(TODAY, 36)
    positions = [
        {"member": a, "role": "secretary"},
        {"member": b, "role": "organizer"},
        {"member": c, "role": "publicity"},
    ]
    with pytest.raises(DomainError):
        rec(case, 5, {"term_end": str(end), "positions": [{"member": d, "role": "secretary"}]},
            actor=world.user("c1_admin"))  # fmt: skip
    case = rec(
        case, 5, {"term_start": str(start), "term_end": str(end), "positions": positions},
        actor=world.user("c1_admin"),
    )  # fmt: skip
    assert case.status == "done"
    new = Board.objects.get(org=world.a, is_current=True)
    assert new.pk != board.pk and new.term_end == end and new.elected_on == TODAY
    seats = dict(
        Position.objects.active(TODAY + dt.timedelta(days=1))
        .filter(org=world.a)
        .exclude(role="staff")
        .values_list("member_id", "role")
    )
    assert seats == {a: "secretary", b: "organizer", c: "publicity"}
    # sec_a (member a) keeps access as the new secretary through the user account
    assert Position.objects.active().filter(org=world.a, user=world.user("sec_a")).exists()


def _past_board(world, term_end):
    return board_create(
        actor=SYSTEM, org=world.a, term_start=add_months(term_end, -36), term_end=term_end
    )


def _at_vote(world, board_end):
    _past_board(world, board_end)
    case = services.election_open(actor=SYSTEM, org=world.a)
    rec(case, 1, {"seats": 3})
    rec(case, 2)
    return rec(case, 3, {"candidates": [m.pk for m in world.members_a]})


VOTE = {"voting_members": 4, "present": 4}


def test_election_more_than_a_year_after_term_end_is_refused(world):
    case = _at_vote(world, add_months(TODAY, -12) - dt.timedelta(days=1))
    votes = {str(m.pk): 4 for m in world.members_a[:3]}
    refused("ELE-1", case, 4, {**VOTE, "votes": votes})


def test_election_exactly_a_year_after_term_end_is_accepted(world):
    case = _at_vote(world, add_months(TODAY, -12))
    votes = {str(m.pk): 4 for m in world.members_a[:3]}
    assert rec(case, 4, {**VOTE, "votes": votes}).current_step == 5


def test_a_second_open_election_of_the_org_is_refused_naming_the_first(world, board):
    first = services.election_open(actor=SYSTEM, org=world.a)
    with pytest.raises(Conflict) as err:
        services.election_open(actor=SYSTEM, org=world.a)
    assert err.value.message == f"预算处党支部已有办理中的换届选举案卷（编号 {first.pk}）"
    assert Case.objects.filter(org=world.a).count() == 1
    assert AuditEntry.objects.filter(verb="启动换届选举", object_id=str(first.pk)).count() == 1
