"""Elections (换届选举): open the case of an org whose board's term is ending. The steps
(request, plan, candidates, vote, result) are recorded by the engine (``cases``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangjian.core.audit import audit
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.development.models import Case, Procedure
from dangjian.development.procedures import procedure_current
from dangjian.development.selectors import case_steps
from dangjian.development.services.cases import refresh_deadline, save_case


@transaction.atomic
def election_open(*, actor, org, opened_on: dt.date | None = None) -> Case:
    """Open the election case of an org whose current board's term is ending.

    ``actor`` is a person (the caller has checked ``org`` is in reach) or ``SYSTEM`` (the
    daily reminder, ELE-1)."""
    from dangjian.orgs.models import Board

    board = Board.objects.filter(org=org, is_current=True).first()
    if board is None:
        raise DomainError(f"{org.name}没有现任班子记录，请先登记班子任期", field="org")
    busy = Case.objects.of(Procedure.Code.ELECTION).open().filter(org=org).first()
    if busy:
        raise Conflict(f"{org.name}已有办理中的换届选举（编号 {busy.pk}）")
    case = Case.objects.create(
        procedure=procedure_current(Procedure.Code.ELECTION),
        org=org,
        board=board,
        opened_on=opened_on or dt.date.today(),
    )
    steps, records = case_steps(case)
    refresh_deadline(case, steps, records)
    save_case(case)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=case,
        verb="启动换届选举",
        changes={"board": board.pk, "term_end": board.term_end},
    )
    return case
