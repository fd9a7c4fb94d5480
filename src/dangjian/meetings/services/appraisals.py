"""The yearly 民主评议党员: open, self-assessment, mutual rating, the board's final
rating."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.meetings.models import (
    Appraisal,
    AppraisalEntry,
    AppraisalRating,
    Meeting,
)
from dangjian.meetings.selectors import MEETING_ORG_KINDS
from dangjian.meetings.services.common import actor_member, users_of
from dangjian.members.models import Member
from dangjian.orgs.models import Org


@transaction.atomic
def appraisal_open(*, actor, org: Org, year: int, meeting: Meeting | None = None) -> Appraisal:
    if org.kind not in MEETING_ORG_KINDS:
        raise DomainError("民主评议按党支部开展，请选择党支部", field="org")
    if not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    if meeting is not None and meeting.org_id != org.pk:
        raise DomainError("评议会议须是本支部的会议", field="meeting")
    if Appraisal.objects.filter(org=org, year=year).exists():
        raise Conflict(f"{org.name} {year} 年度已开展民主评议", field="year")
    appraisal = Appraisal.objects.create(org=org, year=year, meeting=meeting)
    members = Member.objects.on_rolls().party_members().filter(org=org).values_list("pk", flat=True)
    AppraisalEntry.objects.bulk_create(
        [AppraisalEntry(appraisal=appraisal, member_id=pk) for pk in members]
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=appraisal,
        verb="开展民主评议",
        changes={"year": year, "members": len(members)},
    )
    notify(
        users=users_of(members),
        title=f"{year} 年度民主评议党员",
        body="请填写自我评价并对本支部其他党员进行互评。",
        link=reverse("meetings:my_appraisal", kwargs={"appraisal_id": appraisal.pk}),
        dedupe_key=f"appraisal-open-{appraisal.pk}",
    )
    return appraisal


def _open_entry(appraisal: Appraisal, member: Member) -> AppraisalEntry:
    if appraisal.status != Appraisal.Status.OPEN:
        raise Conflict("民主评议已结束")
    entry = AppraisalEntry.objects.filter(appraisal=appraisal, member=member).first()
    if entry is None:
        raise DomainError("您不是本次民主评议的参评党员")
    return entry


@transaction.atomic
def appraisal_self_assess(*, actor, appraisal: Appraisal, text: str) -> AppraisalEntry:
    member = actor_member(actor)
    entry = _open_entry(appraisal, member)
    text = (text or "").strip()
    if len(text) < 10:
        raise DomainError("自我评价至少10个字", field="text")
    entry.self_assessment = text
    entry.save(update_fields=["self_assessment"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=appraisal,
        verb="填写自我评价",
        changes={"member": member.pk},
    )
    return entry


@transaction.atomic
def appraisal_rate(*, actor, appraisal: Appraisal, ratings: dict[int, str]) -> int:
    """The actor's member rates others of the branch; rating again replaces their ratings."""
    rater = actor_member(actor)
    _open_entry(appraisal, rater)
    ratee_ids = set(appraisal.entries.values_list("member_id", flat=True))
    errors = []
    for ratee, rating in ratings.items():
        if ratee == rater.pk:
            errors.append({"field": str(ratee), "message": "互评不能评自己"})
        elif ratee not in ratee_ids:
            errors.append({"field": str(ratee), "message": "被评议人不是本次参评党员"})
        elif rating not in Appraisal.Rating.values:
            errors.append({"field": str(ratee), "message": "等次无效"})
    if not ratings:
        errors.append({"field": "ratings", "message": "请至少评议一名党员"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    AppraisalRating.objects.filter(appraisal=appraisal, rater=rater, ratee_id__in=ratings).delete()
    AppraisalRating.objects.bulk_create(
        [
            AppraisalRating(appraisal=appraisal, rater=rater, ratee_id=ratee, rating=rating)
            for ratee, rating in ratings.items()
        ]
    )
    audit(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=appraisal,
        verb="民主评议互评",
        changes={"rater": rater.pk, "count": len(ratings)},
    )
    return len(ratings)


@transaction.atomic
def appraisal_finalize(
    *,
    actor,
    appraisal: Appraisal,
    ratings: dict[int, str],
    notes: dict[int, str] | None = None,
    followup_deadline: dt.date | None = None,
) -> Appraisal:
    """The board's final rating for every member. A 不合格 rating opens a follow-up record on
    the rectification list, owned by the member."""
    from dangjian.assessment.services import rectification_create

    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status != Appraisal.Status.OPEN:
        raise Conflict("民主评议已完成，评定等次不能再修改")
    notes = notes or {}
    entries = {e.member_id: e for e in appraisal.entries.select_related("member")}
    errors = []
    for member_id, entry in entries.items():
        rating = ratings.get(member_id)
        if not rating:
            message = f"请评定 {entry.member.name} 的等次"
            errors.append({"field": str(member_id), "message": message})
        elif rating not in Appraisal.Rating.values:
            errors.append({"field": str(member_id), "message": "等次无效"})
    for member_id in ratings:
        if member_id not in entries:
            errors.append({"field": str(member_id), "message": "该党员不是本次参评党员"})
    unqualified = [m for m, r in ratings.items() if r == Appraisal.Rating.UNQUALIFIED]
    if unqualified and followup_deadline is None:
        errors.append(
            {"field": "followup_deadline", "message": "有评定为不合格的党员，请填写限期改正的期限"}
        )
    if followup_deadline is not None and followup_deadline <= timezone.localdate():
        errors.append({"field": "followup_deadline", "message": "限期改正的期限须晚于今天"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    for member_id, entry in entries.items():
        entry.final_rating = ratings[member_id]
        entry.board_note = (notes.get(member_id) or "").strip()[:300]
    AppraisalEntry.objects.bulk_update(entries.values(), ["final_rating", "board_note"])
    appraisal.status = Appraisal.Status.FINALIZED
    appraisal.finalized_at = timezone.now()
    appraisal.save(update_fields=["status", "finalized_at", "updated_at"])
    for member_id in unqualified:
        entry = entries[member_id]
        rectification_create(
            actor=actor,
            org=appraisal.org,
            item=f"{entry.member.name}：民主评议不合格，限期改正",
            detail=entry.board_note,
            owner=entry.member,
            deadline=followup_deadline,
            source=entry,
            source_label=f"{appraisal.year} 年度民主评议党员",
        )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=appraisal,
        verb="民主评议评定等次",
        # Names and labels, as the audit log shows them (an entry is never edited later).
        changes={
            "ratings": "；".join(
                f"{entries[m].member.name} {Appraisal.Rating(r).label}" for m, r in ratings.items()
            )
        },
    )
    return appraisal
