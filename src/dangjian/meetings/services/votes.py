"""Votes on resolutions at the 支部党员大会, judged by the rule in force on the day."""

from __future__ import annotations

from django.db import transaction

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.meetings.models import Meeting, Vote
from dangjian.meetings.selectors import vote_counts
from dangjian.meetings.services.common import local_date
from dangjian.meetings.voting import judge_vote


@transaction.atomic
def vote_record(
    *,
    actor,
    meeting: Meeting,
    subject: str,
    votes_for: int,
    votes_against: int = 0,
    abstain: int = 0,
    written_opinions: int = 0,
) -> Vote:
    """Record a vote on a resolution, judged by the rule in force on the meeting day. Written
    opinions submitted beforehand by absent voting members count as present and their votes
    are included in the figures. Recording the same figures again returns the stored vote."""
    subject = (subject or "").strip()
    if not subject:
        raise DomainError("请填写表决事项", field="subject")
    if len(subject) > 200:
        raise DomainError("表决事项过长（最多200字）", field="subject")
    if meeting.kind != Meeting.Kind.GENERAL_MEETING:
        raise DomainError("只有支部党员大会可以表决", field="meeting")
    if meeting.status != Meeting.Status.HELD:
        raise DomainError("请先将会议登记为已召开，并登记出席情况", field="meeting")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    existing = Vote.objects.filter(meeting=meeting, subject=subject).first()
    if existing is not None:
        same = (existing.votes_for, existing.votes_against, existing.abstain) == (
            votes_for,
            votes_against,
            abstain,
        ) and existing.written_opinions == written_opinions
        if same:
            return existing
        raise Conflict(f"事项“{subject}”已表决，结果不能修改", field="subject")
    total, present = vote_counts(meeting)
    if written_opinions < 0:
        raise DomainError("书面意见数不能为负数", field="written_opinions")
    if present + written_opinions > total:
        raise DomainError(
            f"书面意见数不能多于未到会的有表决权党员数（{total - present} 人）",
            field="written_opinions",
        )
    result = judge_vote(
        voting_members=total,
        present_voting=present + written_opinions,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        on=local_date(meeting.held_at),
    )
    vote = Vote.objects.create(
        meeting=meeting,
        subject=subject,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        written_opinions=written_opinions,
        voting_members=result.voting_members,
        present_voting=result.present_voting,
        quorum=result.quorum,
        passed=result.passed,
        quorum_needed=result.quorum_needed,
        pass_needed=result.pass_needed,
        explanation=result.explanation,
        rule_code=result.rule,
        rule_version=result.rule_version,
        created_by=actor_user(actor),
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        verb="登记表决结果",
        changes={
            "subject": subject,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstain,
            "written_opinions": written_opinions,
            "quorum": result.quorum,
            "passed": result.passed,
        },
    )
    return vote
