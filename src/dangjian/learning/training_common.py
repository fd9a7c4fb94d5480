"""What the training-class services share (``trainings`` and ``training_sessions``): the
ledger source name, the sign-in lead time, reading hours and times, the class's open state,
and the approved ledger row of a class's hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.errors import Conflict, DomainError
from dangjian.learning.models import StudyCredit, TrainingClass

TRAINING = "learning.training"
SIGN_IN_EARLY = dt.timedelta(minutes=30)
MAX_HOURS = Decimal("999")


def parse_hours(value, *, field: str = "hours", label: str = "学时") -> Decimal:
    """A positive number of hours with at most two decimals ("8", "0.5")."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}须为数字，如 8 或 0.5", field=field)
    if not hours.is_finite() or hours <= 0:
        raise DomainError(f"{label}须大于 0", field=field)
    if hours > MAX_HOURS or hours != hours.quantize(Decimal("0.01")):
        raise DomainError(f"{label}须在 0.01 到 {MAX_HOURS} 之间，最多两位小数", field=field)
    return hours.quantize(Decimal("0.01"))


def _aware(value: dt.datetime | None, field: str, label: str) -> dt.datetime:
    if value is None:
        raise DomainError(f"请填写{label}", field=field)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _open(training: TrainingClass) -> None:
    if training.status == TrainingClass.Status.CANCELLED:
        raise Conflict("培训班已取消")


def class_credit(training, member_id: int, hours: Decimal, *, policy, actor, now) -> StudyCredit:
    """The (unsaved) approved ledger row of a class's hours for one attendee."""
    return StudyCredit(
        member_id=member_id,
        year=timezone.localdate(training.starts_at).year,
        category=StudyCredit.Category.TRAINING_CLASS,
        hours=hours,
        title=f"培训班：{training.title}",
        source_type=TRAINING,
        source_id=training.pk,
        rule_code=policy.rule.code,
        rule_version=policy.rule.version,
        status=StudyCredit.Status.APPROVED,
        approver=actor_user(actor),
        approved_at=now,
    )
