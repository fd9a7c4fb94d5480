"""Findings kept, not recomputed: the pages read what the worker stored, the same as a live
evaluation; watched events mark orgs stale; 重新评估 and the nightly command refresh."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.standards import kept, selectors
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate, summarize
from dangjian.standards.models import Evaluation, KeptCount, KeptFinding, StaleMark
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db


def _today():
    return P.local_today()


def _shape(data):
    rows = [
        (
            r["org"].pk,
            r["ok"],
            r["judged"],
            r["branches"],
            [(c, cell and (cell["ok"], cell["judged"], cell["worst"])) for c, cell in r["cells"]],
        )
        for r in data["rows"]
    ]
    own = [(r["org"].pk, r["ok"], r["judged"]) for r in data["own"]]
    return rows, own, data["codes"], data["summary"]


def _key(f):
    return (f.rule_code, f.org_id, f.period, f.member_id or 0)


@pytest.mark.parametrize("level", ["children", "branches"])
def test_kept_heatmap_is_the_live_heatmap(world, level):
    today = _today()
    held(world.a, "theme_day", local(today.year, 1, 5))
    held(world.b, "general_meeting", local(today.year, 2, 5))
    period = P.year(today.year)
    live = selectors.heatmap(world.w, period, today=today, level=level)
    assert live["evaluated_at"] is None
    kept.refresh(world.w, today=today)
    stored = selectors.heatmap(world.w, period, today=today, level=level)
    assert stored["evaluated_at"] is not None
    assert _shape(stored) == _shape(live)


def test_kept_counts_after_one_branch_is_refreshed_are_the_live_ones(world):
    """A branch re-evaluated alone: its counts, and those of every org above it, follow."""
    today = _today()
    period = P.year(today.year)
    kept.refresh(world.w, today=today)
    for kind in ("theme_day", "board_meeting", "general_meeting", "party_lecture"):
        held(world.a, kind, local(today.year, 1, 5))
    kept.refresh(world.a, today=today)
    for root in (world.w, world.c1, world.a):
        for level in ("children", "branches"):
            stored = selectors.heatmap(root, period, today=today, level=level)
            assert stored["evaluated_at"] is not None
            live = {**stored}
            findings = evaluate(root, period, today=today)
            grid = selectors._Grid(root, selectors._orgs_of(root), level)
            for f in findings:
                grid.add_finding(f)
            codes = sorted(grid.columns, key=selectors.rule_sort_key)
            live["rows"] = selectors._heat_rows(grid.cells, codes, grid.orgs, grid.branches)
            live["summary"] = summarize(findings)
            assert _shape(stored)[0] == _shape(live)[0], (root.name, level)
            assert stored["summary"] == live["summary"], (root.name, level)
    assert KeptCount.objects.filter(org=world.w, rule_code="").get().n == 3


def test_refreshing_a_group_keeps_its_branch_counts(world):
    today = _today()
    kept.refresh(world.w, today=today)
    before = sorted(KeptCount.objects.filter(org=world.a).values_list("rule_code", "status", "n"))
    assert before
    kept.refresh(world.ga, today=today)
    after = sorted(KeptCount.objects.filter(org=world.a).values_list("rule_code", "status", "n"))
    assert after == before


def test_kept_findings_are_the_evaluated_ones(world):
    today = _today()
    held(world.a, "theme_day", local(today.year, 1, 5))
    kept.refresh(world.w, today=today)
    live = {_key(f): f for f in evaluate(world.w, P.year(today.year), today=today)}
    stored = {_key(f): f for f in kept.findings(world.w, today.year)}
    assert stored.keys() == live.keys()
    for key, f in live.items():
        g = stored[key]
        assert (g.status, g.message, g.org_name, g.rule_title, g.due_on) == (
            f.status,
            f.message,
            f.org_name,
            f.rule_title,
            f.due_on,
        )
    assert summarize(stored.values()) == summarize(live.values())
    # A second run upserts: no duplicate rows, nothing left from the first one.
    kept.refresh(world.w, today=today)
    assert KeptFinding.objects.count() == len(live)


def test_a_meeting_held_marks_its_org_stale_and_the_worker_refreshes_it(world):
    today = _today()
    kept.refresh(world.w, today=today)
    assert kept.kept_at(world.c1, today.year, today=today) is not None
    held(world.a, "theme_day", local(today.year, 1, 5))
    assert StaleMark.objects.filter(org=world.a).exists()
    # Stale: the board and the heat map above it evaluate live; a sibling reads kept.
    assert kept.kept_at(world.a, today.year, today=today) is None
    assert kept.kept_at(world.c1, today.year, today=today) is None
    assert kept.kept_at(world.d, today.year, today=today) is not None
    assert kept.refresh_stale(today=today) == 1
    assert not StaleMark.objects.exists()
    assert kept.kept_at(world.c1, today.year, today=today) is not None
    row = KeptFinding.objects.get(org=world.a, rule_code="MTG-6", period=f"{today.year}-01")
    assert row.status == "ok"


def test_the_mark_wakes_the_worker_when_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    today = _today()
    StaleMark.objects.all().delete()  # the fixture's writes marked the tree already
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held(world.b, "theme_day", local(today.year, 1, 5))
    assert callbacks, "refresh_findings enqueued on commit"
    assert not StaleMark.objects.exists()
    assert Evaluation.objects.filter(org=world.b, year=today.year).exists()


def test_a_member_moved_marks_both_branches_and_the_own_findings_above_them(world):
    """Not the whole tree: the branch left and the branch joined, and the orgs above them
    for their own findings (member counts); the kept findings are then the live ones."""
    today = _today()
    kept.refresh(world.w, today=today)
    StaleMark.objects.all().delete()
    member = world.members_b[0]
    member.org = world.d
    member.save()
    marks = dict(StaleMark.objects.values_list("org_id", "whole"))
    above = {world.w.pk, world.c1.pk, world.d.parent_id}
    assert marks == {world.b.pk: True, world.d.pk: True} | dict.fromkeys(above, False)
    assert kept.kept_at(world.a, today.year, today=today) is not None  # a sibling branch
    assert kept.kept_at(world.c1, today.year, today=today) is None
    assert kept.refresh_stale(today=today) == 5
    assert not StaleMark.objects.exists()
    found = evaluate(world.w, P.year(today.year), today=today)
    live = {_key(f): (f.status, f.message) for f in found}
    stored = {_key(f): (f.status, f.message) for f in kept.findings(world.w, today.year)}
    assert stored == live
    assert kept.kept_at(world.w, today.year, today=today) is not None
    late = {(f.rule_code, f.org_id, f.member_id or 0) for f in found if f.status in kept.LATE}
    due = {(f.rule_code, f.org_id, f.member_id or 0) for f in found if f.status == kept.DUE}
    _, counts = kept.open_groups(world.w, today.year, today=today, limit=1)
    assert counts == (len(late), len(due))


def test_a_rule_change_marks_every_tree(world):
    from dangjian.standards.services import rule_update

    StaleMark.objects.all().delete()
    rule_update(
        actor=world.user("admin"),
        code="MTG-6",
        effective_from=_today(),
        change_reason="测试",
        severity="warning",
    )
    assert StaleMark.objects.filter(org=world.w).exists()


def test_nightly_command_keeps_every_tree(world):
    call_command("standards", "evaluate")
    today = _today()
    assert Evaluation.objects.filter(org=world.w, year=today.year).exists()
    assert KeptFinding.objects.filter(year=today.year).count() == len(
        evaluate(world.w, P.year(today.year), today=today)
    )


def test_board_shows_the_evaluation_time_and_refreshes_on_demand(world, client_for):
    client = client_for(world.user("sec_a"))
    board = reverse("standards:board_org", args=[world.a.pk])
    body = client.get(board).content.decode()
    assert "评估时间：刚刚（实时计算" in body and "重新评估" in body
    refresh = reverse("standards:board_refresh", args=[world.a.pk])
    assert client.get(refresh).status_code == 405
    response = client.post(refresh, {"next": board})
    assert response.status_code == 302 and response["Location"] == board
    entry = AuditEntry.objects.filter(verb__startswith="重新评估合规情况").get()
    assert entry.actor_id == world.user("sec_a").pk
    body = client.get(board).content.decode()
    at = Evaluation.objects.get(org=world.a).evaluated_at
    assert f"评估时间：{P.local_date(at):%Y-%m-%d}" in body


def test_refresh_of_an_org_outside_reach_is_refused(world, client_for):
    client = client_for(world.user("sec_a"))
    response = client.post(reverse("standards:board_refresh", args=[world.b.pk]))
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_workbench_reads_the_kept_findings(world):
    from dangjian.core.workbench import workbench_for

    today = _today()
    kept.refresh(world.w, today=today)
    bench = workbench_for(world.user("wc_admin"), today=today)
    figure = next(f for f in bench.figures if f.label == "本年合规率")
    live = summarize(evaluate(world.w, P.year(today.year), today=today))
    assert figure.value == f"{live['rate']:.1%}"


def test_a_bulk_load_marks_every_tree_once_when_it_ends(world):
    from dangjian.core.signals import bulk_load
    from tests.factories import make_member

    StaleMark.objects.all().delete()
    with bulk_load():
        make_member(world.a, "新党员")
        make_member(world.d, "另一名新党员")
        assert not StaleMark.objects.exists()
    assert list(StaleMark.objects.values_list("org_id", flat=True)) == [world.w.pk]


def _rows(bench):
    return [
        (t.what, t.org_name, t.due_on, t.status, t.detail, t.url)
        for t in bench.all_todos
        if t.source == "合规"
    ]


def test_workbench_rows_from_kept_findings_are_the_live_rows(world):
    """The compliance rows read from the kept findings (chosen, ordered and counted in the
    database) are the rows built from a live evaluation, and so are the totals."""
    from dangjian.core.workbench import workbench_for

    today = _today()
    held(world.a, "theme_day", local(today.year, 1, 5))
    user = world.user("wc_admin")
    live = workbench_for(user, today=today, limit=1000)
    live_cut = workbench_for(user, today=today, limit=3)
    kept.refresh(world.w, today=today)
    stored = workbench_for(user, today=today, limit=1000)
    stored_cut = workbench_for(user, today=today, limit=3)
    assert _rows(live) and sorted(_rows(stored)) == sorted(_rows(live))
    assert (stored.todo_total, stored.overdue_total) == (live.todo_total, live.overdue_total)
    # Cut to the worst three: the same totals, the same statuses and deadlines listed.
    assert (stored_cut.todo_total, stored_cut.overdue_total) == (
        live_cut.todo_total,
        live_cut.overdue_total,
    )
    assert [(t.status, t.due_on) for t in stored_cut.todos] == [
        (t.status, t.due_on) for t in live_cut.todos
    ]
    assert len(stored_cut.todos) == 3 < stored_cut.todo_total


def test_workbench_on_kept_findings_makes_as_many_queries_for_more_branches(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.core.workbench import workbench_for
    from tests.factories import make_member, make_org

    today = _today()
    user = world.user("wc_admin")
    kept.refresh(world.w, today=today)
    workbench_for(user, today=today)  # warm caches (content types, rate book)
    with CaptureQueriesContext(connection) as small:
        few = workbench_for(user, today=today)
    for n in range(4):
        branch = make_org(f"新建第{n}党支部", "branch", world.c1)
        for i in range(3):
            make_member(branch, f"新党员{n}{i}")
    kept.refresh(world.w, today=today)
    user = type(user).objects.get(pk=user.pk)
    workbench_for(user, today=today)
    with CaptureQueriesContext(connection) as large:
        many = workbench_for(user, today=today)
    assert many.ctx.memo["standards.findings"][1] > few.ctx.memo["standards.findings"][1]
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_workbench_row_counts_after_one_branch_is_refreshed_are_the_live_ones(world):
    """The rows' numbers are summed from each org's kept counts: a branch re-evaluated
    alone replaces its own, and every subtree's sum is what a live evaluation counts."""
    from dangjian.standards.models import KeptOpenCount
    from dangjian.standards.selectors import OPEN

    today = _today()
    kept.refresh(world.w, today=today)
    for kind in ("theme_day", "board_meeting", "general_meeting", "party_lecture"):
        held(world.a, kind, local(today.year, 1, 5))
    kept.refresh(world.a, today=today)
    for root in (world.w, world.c1, world.a):
        live = [f for f in evaluate(root, P.year(today.year), today=today) if f.status in OPEN]
        late = {(f.rule_code, f.org_id, f.member_id) for f in live if f.status in kept.LATE}
        due = {(f.rule_code, f.org_id, f.member_id) for f in live if f.status == kept.DUE}
        _, counts = kept.open_groups(root, today.year, today=today, limit=3)
        assert counts == (len(late), len(due)), root.name
        assert root != world.w or late
    assert KeptOpenCount.objects.filter(org=world.a).count() <= 1


def test_branch_rows_are_built_for_the_page_sliced_in_the_same_order(world):
    """Every branch as a row (``?rows=branches``) from the kept counts: a slice is the
    same rows, in the same order, as the whole list; the page reads only its branches."""
    today = _today()
    held(world.a, "theme_day", local(today.year, 1, 5))
    kept.refresh(world.w, today=today)
    data = selectors.heatmap(world.w, P.year(today.year), today=today, level="branches")
    rows = data["rows"]
    whole = [(r["org"].pk, r["ok"], r["judged"]) for r in rows]
    assert len(rows) == len(whole) == 3
    assert [(r["org"].pk, r["ok"], r["judged"]) for r in rows[1:3]] == whole[1:3]
    assert rows[0]["org"].pk == whole[0][0]
