"""Judging a vote by the rule in force: quorum and majority, with the arithmetic shown.

Used for general-meeting resolutions (MTG-2), membership development votes (steps 15
and 23) and elections (ELE-3, ELE-4). The fractions are rule parameters such as
``{"quorum_more_than": "1/2", "pass_more_than": "1/2", "pass_base": "expected"}``;
``pass_base`` says what the votes for are compared with: ``expected`` (the voting
members who should attend, MTG-2) or ``present`` (those present, ELE-4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from fractions import Fraction

from dangjian.core.errors import DomainError


@dataclass(frozen=True)
class VoteResult:
    rule: str
    rule_version: int
    voting_members: int
    present_voting: int
    votes_for: int
    votes_against: int
    abstain: int
    quorum: bool
    passed: bool
    quorum_needed: int  # smallest number present that makes the quorum
    pass_needed: int  # smallest number of votes for that passes
    explanation: str

    def as_dict(self) -> dict:
        return asdict(self)


def smallest_above(total: int, fraction: Fraction) -> int:
    """Smallest whole number strictly greater than ``fraction`` × ``total``."""
    return int(fraction * total) + 1


def judge_vote(
    *,
    voting_members: int,
    present_voting: int,
    votes_for: int,
    votes_against: int = 0,
    abstain: int = 0,
    rule_code: str = "MTG-2",
    on: dt.date | None = None,
) -> VoteResult:
    from dangjian.standards.selectors import rule_in_force

    errors = []
    for name, value in (
        ("voting_members", voting_members),
        ("present", present_voting),
        ("for", votes_for),
        ("against", votes_against),
        ("abstain", abstain),
    ):
        if value < 0:
            errors.append({"field": name, "message": "人数不能为负数"})
    if present_voting > voting_members:
        errors.append({"field": "present", "message": "到会人数不能多于应到会有表决权人数"})
    if votes_for + votes_against + abstain > present_voting:
        errors.append({"field": "for", "message": "赞成、反对、弃权合计不能多于到会人数"})
    if voting_members == 0:
        errors.append({"field": "voting_members", "message": "应到会有表决权人数须大于 0"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors, rule=rule_code)
    rule = rule_in_force(rule_code, on)
    quorum_fraction = Fraction(rule.params.get("quorum_more_than", "1/2"))
    pass_fraction = Fraction(rule.params.get("pass_more_than", "1/2"))
    base_kind = rule.params.get("pass_base", "expected")
    quorum_needed = smallest_above(voting_members, quorum_fraction)
    quorum = present_voting >= quorum_needed
    base = voting_members if base_kind == "expected" else present_voting
    pass_needed = smallest_above(base, pass_fraction)
    passed = quorum and votes_for >= pass_needed
    base_label = "应到会有表决权党员" if base_kind == "expected" else "到会有表决权党员"
    explanation = (
        f"应到会有表决权 {voting_members} 人，实到 {present_voting} 人，"
        f"超过{quorum_fraction}须至少 {quorum_needed} 人："
        f"{'达到' if quorum else '未达到'}法定人数；"
        f"赞成 {votes_for} 票，须超过{base_label}（{base} 人）的{pass_fraction}即至少 "
        f"{pass_needed} 票：{'通过' if passed else '未通过'}"
        f"（{rule.code} {rule.standard.short_name}{rule.article}）。"
    )
    return VoteResult(
        rule=rule.code,
        rule_version=rule.version,
        voting_members=voting_members,
        present_voting=present_voting,
        votes_for=votes_for,
        votes_against=votes_against,
        abstain=abstain,
        quorum=quorum,
        passed=passed,
        quorum_needed=quorum_needed,
        pass_needed=pass_needed,
        explanation=explanation,
    )
