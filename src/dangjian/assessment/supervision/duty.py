"""Duty reports (述职评议, SUP-2): a secretary's annual report, anonymous ballots of the
eligible raters (the org's members and the superior's staff), the superior's comment."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.supervision.models import DutyBallot, DutyReport, DutyVoter
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.core.services import notify
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Position

RATINGS = DutyReport.Rating


def is_secretary(member: Member, org: Org, on=None) -> bool:
    on = on or timezone.localdate()
    return (
        Position.objects.active(on)
        .filter(org=org, member=member, role__in=[Position.Role.SECRETARY])
        .exists()
    )


@transaction.atomic
def duty_report_create(*, actor, org: Org, year: int, reporter: Member, text: str) -> DutyReport:
    """File the annual duty report of ``reporter``, the secretary of ``org``."""
    text = (text or "").strip()
    this_year = timezone.localdate().year
    errors = []
    if not year or not 2000 <= int(year) <= this_year:
        errors.append({"field": "year", "message": f"年度须在2000至{this_year}之间"})
    if len(text) < 20:
        errors.append({"field": "text", "message": "请填写述职报告（至少20个字）"})
    if reporter is not None and not is_secretary(reporter, org):
        errors.append({"field": "reporter", "message": f"{reporter.name}不是{org.name}的在任书记"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    if DutyReport.objects.filter(org=org, year=year, reporter=reporter).exists():
        raise Conflict(f"{reporter.name}{year}年度的述职报告已登记")
    try:
        with transaction.atomic():
            report = DutyReport.objects.create(
                org=org,
                year=int(year),
                reporter=reporter,
                text=text,
                created_by=actor_user(actor),
            )
    except IntegrityError:
        raise Conflict(f"{reporter.name}{year}年度的述职报告已登记")
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=report,
        verb="登记述职报告",
        changes={"year": int(year), "reporter": reporter.pk},
    )
    notify(
        users=raters(report),
        title=f"述职评议：{org.name} {reporter.name} {year}年度述职",
        body="请阅读述职报告并无记名评议（好、较好、一般、差），每人一次。",
        link=reverse("assessment:duty_report_detail", kwargs={"duty_report_id": report.pk}),
        dedupe_key=f"duty-report-{report.pk}",
    )
    return report


def raters(report: DutyReport) -> list:
    """The active users who may rate ``report`` (the reporter left out): one query."""
    from django.db.models import Q

    from dangjian.accounts.models import User

    on = timezone.localdate()
    members = (
        Member.objects.on_rolls()
        .party_members()
        .in_subtree(report.org)
        .exclude(pk=report.reporter_id)
        .values("pk")
    )
    q = Q(member__in=members)
    if report.org.parent_id:
        q |= Q(
            pk__in=Position.objects.active(on).filter(org_id=report.org.parent_id).values("user")
        )
    return list(User.objects.filter(q, is_active=True).distinct())


def can_rate(user, report: DutyReport) -> bool:
    """An eligible rater: a party member on the rolls of the org's subtree (not the reporter
    himself), or a holder of a position in the org directly above (the superior's staff)."""
    if user is None or not user.is_authenticated:
        return False
    on = timezone.localdate()
    if report.org.parent_id and (
        Position.objects.active(on).filter(org_id=report.org.parent_id, user=user).exists()
    ):
        return True
    member_id = reach_of(user).member_id
    if not member_id or member_id == report.reporter_id:
        return False
    return (
        Member.objects.on_rolls()
        .party_members()
        .in_subtree(report.org)
        .filter(pk=member_id)
        .exists()
    )


@transaction.atomic
def duty_ballot_cast(*, actor, report: DutyReport, rating: str) -> None:
    """Put one rating in the ballot box and the rater on the roll, apart: nothing links the
    two. A second ballot of the same rater is refused (409)."""
    if rating not in RATINGS.values:
        raise DomainError("评议等次只能是好、较好、一般、差", field="rating")
    report = (
        DutyReport.objects.select_for_update(of=("self",)).select_related("org").get(pk=report.pk)
    )
    if report.status == DutyReport.Status.CLOSED:
        raise Conflict("该述职评议已结束")
    user = actor_user(actor)
    if not can_rate(user, report):
        raise Forbidden("您不在该述职报告的评议范围内（本组织党员和上级党组织工作人员可以评议）")
    try:
        with transaction.atomic():
            DutyVoter.objects.create(report=report, user=user)
    except IntegrityError:
        raise Conflict("您已评议过该述职报告，每人只能评议一次")
    DutyBallot.objects.create(report=report, rating=rating)
    # The audit says that this person voted, never how.
    audit(actor=actor, action=AuditEntry.Action.CREATE, obj=report, verb="参加述职评议")


def tallies(report: DutyReport) -> dict[str, int]:
    """Ballots per rating (every rating present, 0 when none). One query."""
    counts = dict(
        DutyBallot.objects.filter(report=report)
        .values("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
        .order_by()
    )
    return {value: counts.get(value, 0) for value in RATINGS.values}


@transaction.atomic
def duty_report_comment(
    *, actor, report: DutyReport, comment: str, close: bool = True
) -> DutyReport:
    """The superior's comment (点评); it closes the rating by default."""
    comment = (comment or "").strip()
    if len(comment) < 5:
        raise DomainError("请填写点评意见（至少5个字）", field="comment")
    report = (
        DutyReport.objects.select_for_update(of=("self",)).select_related("org").get(pk=report.pk)
    )
    parent = Org.objects.filter(pk=report.org.parent_id).first()
    if parent is None or not reach_of(actor).covers(parent.path):
        raise Forbidden("只有上级党组织可以点评述职报告")
    report.comment = comment
    report.commented_by = actor_user(actor)
    report.commented_at = timezone.now()
    if close:
        report.status = DutyReport.Status.CLOSED
    report.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=report,
        verb="点评述职报告",
        changes={"comment": comment[:200], "status": report.status},
    )
    return report
