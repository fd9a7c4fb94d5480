import pytest

from dangjian.core.errors import DomainError
from dangjian.meetings.voting import judge_vote

pytestmark = pytest.mark.django_db


def test_quorum_needs_more_than_half_present():
    assert not judge_vote(voting_members=10, present_voting=5, votes_for=5).quorum
    assert judge_vote(voting_members=10, present_voting=6, votes_for=6).quorum


def test_motion_passes_with_more_than_half_of_those_who_should_attend():
    # 10 should attend, 8 present: 5 votes for is half of 10, not more: fails.
    assert not judge_vote(voting_members=10, present_voting=8, votes_for=5).passed
    result = judge_vote(voting_members=10, present_voting=8, votes_for=6)
    assert result.passed and result.pass_needed == 6
    assert "MTG-2" in result.explanation


def test_odd_numbers():
    result = judge_vote(voting_members=7, present_voting=4, votes_for=4)
    assert result.quorum_needed == 4 and result.quorum and result.passed


def test_more_votes_than_present_is_refused():
    with pytest.raises(DomainError, match="合计不能多于到会人数"):
        judge_vote(voting_members=10, present_voting=6, votes_for=5, votes_against=2)
