"""Reads of the rectification list, through the gate."""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.assessment.models import Rectification
from dangjian.orgs.models import Org


def rectification_list(
    *, user, org: Org | None = None, status: str = "", overdue_on=None, owner_id=None
) -> QuerySet[Rectification]:
    qs = Rectification.objects.visible_to(user).select_related("org", "owner", "source_type")
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    if overdue_on is not None:
        qs = qs.open().filter(deadline__lt=overdue_on)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs
