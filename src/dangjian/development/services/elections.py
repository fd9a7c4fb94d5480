"""Elections (换届选举): open the case of an org whose board's term is ending. The steps
(request, plan, candidates, vote, result) are recorded by the engine (``cases``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangjian.core.errors import DomainError
from dangjian.development.models import Case, Procedure
from dangjian.development.services.cases import case_open


@transaction.atomic
def election_open(*, actor, org, opened_on: dt.date | None = None) -> Case:
    """Open the election case of an org whose current board's term is ending.

    ``actor`` is a person (the caller has checked ``org`` is in reach) or ``SYSTEM`` (the
    daily reminder, ELE-1)."""
    from dangjian.orgs.models import Board

    board = Board.objects.filter(org=org, is_current=True).first()
    if board is None:
        raise DomainError(f"{org.name}没有现任班子记录，请先登记班子任期", field="org")
    return case_open(
        actor=actor,
        code=Procedure.Code.ELECTION,
        holder=org.name,
        org=org,
        board=board,
        opened_on=opened_on or dt.date.today(),
        verb="启动换届选举",
        changes={"board": board.pk, "term_end": board.term_end},
    )
