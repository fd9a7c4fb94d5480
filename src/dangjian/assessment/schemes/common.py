"""What the scheme services and the results both need: the methods whose values come from
the platform, the rounding of scores, and the targets of a scheme."""

from __future__ import annotations

from decimal import Decimal

from dangjian.assessment.schemes.models import Indicator, Scheme
from dangjian.orgs.models import Org

AUTOMATIC = (Indicator.Method.AUTO, Indicator.Method.SURVEY)
CENT = Decimal("0.01")


def targets(scheme: Scheme):
    """The orgs a scheme assesses: those of its target kind in the assessing org's subtree."""
    return (
        Org.objects.in_subtree(scheme.org).active().filter(kind=scheme.target_kind).order_by("path")
    )
