"""Facts the meetings app contributes to the compliance engine (``standards.registry.fact``):
reads shared by its checkers, done once per evaluation, set-based."""

from __future__ import annotations

from django.db import connection

from dangjian.core.scope import org_tree
from dangjian.meetings.models import Meeting
from dangjian.standards import periods as P
from dangjian.standards.registry import fact

# Held meetings per owner org and kind, one count per local month of the span. The owner of
# a group meeting is its group (the meeting's ``group``, or its ``org`` when that is the
# group itself). Written by hand: the ORM spent 5 ms building and compiling the twelve
# filtered counts, a quarter of what PostgreSQL takes to answer a year of one kind at
# city scale, on every evaluation.
COUNTS_SQL = """SELECT CASE WHEN m.kind = 'group_meeting' AND m.group_id IS NOT NULL
                 THEN m.group_id ELSE m.org_id END, m.kind, {columns}
    FROM {meeting} m
    WHERE m.status = 'held' AND m.held_at >= %s AND m.held_at < %s{kinds}{subtree}
    GROUP BY 1, 2"""


@fact("meeting_counts")
def meeting_counts(facts) -> dict[tuple[int, str], list[int]]:
    """Held meetings per (owner org, kind) and local month over the span (one bucket per
    month of ``facts.months``): ONE grouped query with a conditional count per month. Only
    the kinds of the meeting-frequency rules evaluated are counted; for a root below the
    top, only the meetings of its subtree (a top-level root reads every tree's: the rows of
    others belong to no target org)."""
    adapt = connection.ops.adapt_datetimefield_value
    edges = [adapt(P.at_midnight(m.start)) for m in facts.months]
    edges.append(adapt(P.at_midnight(facts.months[-1].end)))
    count = "COUNT(*) FILTER (WHERE m.held_at >= %s AND m.held_at < %s)"  # both databases
    params: list = [e for i in range(len(facts.months)) for e in edges[i : i + 2]]
    params += [edges[0], edges[-1]]
    kinds = subtree = ""
    planned = facts.planned("meeting_frequency")
    if planned is not None:
        wanted = sorted({str(p.get("kind")) for p in planned})
        if not wanted:
            return {}
        kinds = f" AND m.kind IN ({', '.join(['%s'] * len(wanted))})"
        params += wanted
    if facts.root.parent_id is not None:  # the subtree's few orgs first, then by index
        orgs = org_tree().model._meta.db_table
        subtree = f" AND m.org_id IN (SELECT id FROM {orgs} WHERE path LIKE %s)"
        params.append(f"{facts.root.path}%")  # paths are digits and slashes: no escaping
    sql = COUNTS_SQL.format(
        columns=", ".join([count] * len(facts.months)),
        meeting=Meeting._meta.db_table,
        kinds=kinds,
        subtree=subtree,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(r[0], r[1]): list(r[2:]) for r in cursor.fetchall()}
