"""A closed year's findings are kept too: judged once more after the year closed, read by
the pages until a fact of that year recorded late makes them stale (changes of the rolls
and the tree since leave the year as it was judged)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.standards import kept, selectors
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate, summarize
from dangjian.standards.models import Evaluation, KeptFinding, StaleMark
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db


def _years():
    today = P.local_today()
    return today, today.year - 1


def _key(f):
    return (f.rule_code, f.org_id, f.period, f.member_id or 0)


def test_a_closed_year_kept_is_read_and_equals_the_live_one(world):
    today, last = _years()
    held(world.a, "theme_day", local(last, 3, 5))
    held(world.b, "general_meeting", local(last, 5, 5))
    assert kept.kept_at(world.w, last, today=today) is None
    kept.refresh(world.w, today=today, year=last)
    assert kept.kept_at(world.c1, last, today=today) is not None
    live = {_key(f): f for f in evaluate(world.w, P.year(last), today=today)}
    stored = {_key(f): f for f in kept.findings(world.w, last)}
    assert stored.keys() == live.keys()
    assert {k: f.status for k, f in stored.items()} == {k: f.status for k, f in live.items()}
    assert summarize(stored.values()) == summarize(live.values())
    # Every status of a closed year is final: nothing pending, due or overdue.
    assert {f.status for f in stored.values()} <= {"ok", "violation"}
    data = selectors.heatmap(world.w, P.year(last), today=today)
    assert data["evaluated_at"] is not None
    assert data["summary"] == summarize(live.values())


def test_a_year_kept_before_it_closed_is_not_read(world):
    today, last = _years()
    kept.refresh(world.w, today=today, year=last)
    before_close = P.at_midnight(dt.date(last, 12, 20))
    Evaluation.objects.filter(year=last).update(evaluated_at=before_close)
    assert kept.kept_at(world.w, last, today=today) is None


def test_a_late_record_of_a_closed_year_makes_it_stale_until_the_worker_rejudges_it(world):
    today, last = _years()
    kept.refresh(world.w, today=today, year=last)
    kept.refresh(world.w, today=today)
    StaleMark.objects.all().delete()
    held(world.a, "theme_day", local(last, 3, 5))
    marked = set(StaleMark.objects.values_list("org_id", "year"))
    assert marked == {(world.a.pk, last), (world.a.pk, today.year)}
    assert kept.kept_at(world.c1, last, today=today) is None
    assert kept.kept_at(world.d, last, today=today) is not None
    assert kept.refresh_stale(today=today) == 2  # the branch, for each year
    assert not StaleMark.objects.exists()
    assert kept.kept_at(world.w, last, today=today) is not None
    row = KeptFinding.objects.get(org=world.a, rule_code="MTG-6", period=f"{last}-03")
    assert row.status == "ok"


def test_a_member_moved_leaves_a_closed_year_as_it_was_judged(world):
    today, last = _years()
    kept.refresh(world.w, today=today, year=last)
    StaleMark.objects.all().delete()
    member = world.members_b[0]
    member.org = world.d
    member.save()
    assert set(StaleMark.objects.values_list("year", flat=True)) == {today.year}
    assert kept.kept_at(world.w, last, today=today) is not None


def test_a_rule_change_makes_the_closed_years_kept_stale_too(world):
    from dangjian.standards.services import rule_update

    today, last = _years()
    kept.refresh(world.w, today=today, year=last)
    StaleMark.objects.all().delete()
    rule_update(
        actor=world.user("admin"),
        code="MTG-6",
        effective_from=today,
        change_reason="测试",
        severity="warning",
    )
    assert set(StaleMark.objects.filter(org=world.w).values_list("year", flat=True)) == {
        last,
        today.year,
    }


def test_the_nightly_run_keeps_last_year_once_after_it_closed(world):
    today, last = _years()
    call_command("standards", "evaluate")
    first = Evaluation.objects.get(org=world.w, year=last).evaluated_at
    assert Evaluation.objects.filter(org=world.w, year=today.year).exists()
    assert KeptFinding.objects.filter(year=last).count() == len(
        evaluate(world.w, P.year(last), today=today)
    )
    call_command("standards", "evaluate")
    assert Evaluation.objects.get(org=world.w, year=last).evaluated_at == first
    call_command("standards", "evaluate", year=last)
    assert Evaluation.objects.get(org=world.w, year=last).evaluated_at > first
    with pytest.raises(CommandError, match="--year"):
        call_command("standards", "evaluate", year=today.year + 1)


def test_re_evaluating_a_closed_year_from_its_board(world, client_for):
    today, last = _years()
    client = client_for(world.user("sec_a"))
    board = reverse("standards:board_org", args=[world.a.pk]) + f"?year={last}"
    body = client.get(board).content.decode()
    assert "后台评估已排队" in body and f'name="year" value="{last}"' in body
    assert StaleMark.objects.filter(year=last).exists()  # queued for the worker
    refresh = reverse("standards:board_refresh", args=[world.a.pk])
    response = client.post(refresh, {"next": board, "year": str(last)})
    assert response.status_code == 302
    assert Evaluation.objects.filter(org=world.a, year=last).exists()
    entry = AuditEntry.objects.filter(verb__startswith="重新评估合规情况").get()
    assert f"{last} 年度" in entry.verb
    body = client.get(board).content.decode()
    at = Evaluation.objects.get(org=world.a, year=last).evaluated_at
    assert f"评估时间：{P.local_date(at):%Y-%m-%d}" in body
    # A year in the future or not a year: this year's findings are re-evaluated.
    client.post(refresh, {"year": "9999"})
    client.post(refresh, {"year": "x"})
    assert Evaluation.objects.filter(org=world.a, year=today.year).exists()


def test_a_large_subtree_reads_its_kept_findings_while_they_are_evaluated_again(
    world, settings, client_for
):
    """More branches than STANDARDS_LIVE_MAX_BRANCHES: a stale mark below, or an evaluation
    of yesterday, leaves the kept findings readable, shown as such; a smaller subtree
    evaluates live."""
    today, _ = _years()
    kept.refresh(world.w, today=today)
    at = kept.kept_at(world.w, today.year, today=today)
    held(world.a, "theme_day", local(today.year, 1, 5))
    assert kept.kept_at(world.w, today.year, today=today) is None  # 3 branches ≤ 500
    settings.STANDARDS_LIVE_MAX_BRANCHES = 2
    assert kept.readable(world.w, today.year, today=today) == (at, True)
    assert kept.kept_at(world.c1, today.year, today=today) is None  # 2 branches
    assert kept.kept_at(world.a, today.year, today=today) is None
    client = client_for(world.user("wc_admin"))
    body = client.get(reverse("standards:heatmap_org", args=[world.w.pk])).content.decode()
    assert "评估后记录有变动，待后台重新评估" in body
    kept.refresh_stale(today=today)
    at, changed = kept.readable(world.w, today.year, today=today)
    assert at is not None and not changed
    body = client.get(reverse("standards:heatmap_org", args=[world.w.pk])).content.decode()
    assert "待后台重新评估" not in body
    # Evaluated yesterday: read, and shown as not current.
    Evaluation.objects.update(evaluated_at=at - dt.timedelta(days=1))
    assert kept.readable(world.w, today.year, today=today) == (at - dt.timedelta(days=1), True)
    settings.STANDARDS_LIVE_MAX_BRANCHES = 500
    assert kept.kept_at(world.w, today.year, today=today) is None


def test_queueing_a_tree_marked_for_its_own_findings_marks_the_tree(world):
    today, _ = _years()
    StaleMark.objects.all().delete()
    StaleMark.objects.create(org=world.w, year=today.year, whole=False)
    kept.queue(world.a)
    assert StaleMark.objects.get(org=world.w, year=today.year).whole


def test_a_large_subtree_with_nothing_kept_waits_for_the_worker(world, settings, client_for):
    """More branches than STANDARDS_LIVE_MAX_BRANCHES and no kept findings for the year:
    the heat map and the board say the worker is evaluating it, queue it, and evaluate
    nothing on the request; the export sends back to the page."""
    _, last = _years()
    settings.STANDARDS_LIVE_MAX_BRANCHES = 2
    client = client_for(world.user("wc_admin"))
    heat = reverse("standards:heatmap_org", args=[world.w.pk]) + f"?year={last}"
    body = client.get(heat).content.decode()
    assert "评估结果尚未生成" in body and "总达标率" not in body
    assert StaleMark.objects.filter(org=world.w, year=last, whole=True).exists()
    export = reverse("standards:heatmap_export", args=[world.w.pk]) + f"?year={last}"
    response = client.get(export)
    assert response.status_code == 302 and response["Location"].endswith(f"year={last}")
    board = reverse("standards:board_org", args=[world.w.pk]) + f"?year={last}"
    body = client.get(board).content.decode()
    assert "评估结果尚未生成" in body and "年达标率" not in body
    # A committee of two branches evaluates live; once kept, the whole tree is read.
    body = client.get(reverse("standards:heatmap_org", args=[world.c1.pk]) + f"?year={last}")
    assert "评估结果尚未生成" not in body.content.decode()
    kept.refresh_stale()
    body = client.get(heat).content.decode()
    assert "评估结果尚未生成" not in body and "总达标率" in body


def test_attendance_of_a_closed_years_meeting_marks_that_year_too(world):
    from dangjian.meetings.models import Attendance
    from dangjian.meetings.services.attendance import attendance_mark
    from tests.factories import SYSTEM

    today, last = _years()
    meeting = held(world.a, "theme_day", local(last, 3, 5))
    StaleMark.objects.all().delete()
    attendance_mark(actor=SYSTEM, meeting=meeting, member=world.members_a[0], status="present")
    marked = set(StaleMark.objects.values_list("org_id", "year"))
    assert marked == {(world.a.pk, last), (world.a.pk, today.year)}
    # Deleted with its meeting: no error, and the meeting's marks are set.
    StaleMark.objects.all().delete()
    meeting.delete()
    assert not Attendance.objects.filter(meeting_id=meeting.pk).exists()
    assert (world.a.pk, last) in set(StaleMark.objects.values_list("org_id", "year"))


def test_a_meeting_moved_out_of_a_closed_year_marks_the_year_it_left(world):
    from dangjian.meetings.services.meetings import meeting_update
    from tests.factories import SYSTEM

    today, last = _years()
    meeting = held(world.a, "theme_day", local(last, 12, 28))
    kept.refresh(world.w, today=today, year=last)
    StaleMark.objects.all().delete()
    new = local(today.year, 1, 4)
    meeting_update(actor=SYSTEM, meeting=meeting, held_at=new, planned_on=new.date())
    marked = set(StaleMark.objects.values_list("org_id", "year"))
    assert marked == {(world.a.pk, last), (world.a.pk, today.year)}
    assert kept.kept_at(world.a, last, today=today) is None


def test_the_workbench_of_a_large_tree_with_nothing_kept_waits_for_the_worker(world, settings):
    """The workbench does not evaluate a tree too large for a request either: its rate
    says the worker is evaluating, the tree is queued; once kept, the rate is read."""
    from dangjian.core.workbench import workbench_for

    settings.STANDARDS_LIVE_MAX_BRANCHES = 2
    today = P.local_today()
    user = world.user("wc_admin")
    bench = workbench_for(user, today=today)
    figure = next(f for f in bench.figures if f.label == "本年合规率")
    assert figure.value == "评估中" and "已交后台评估" in figure.note
    assert not [t for t in bench.todos if getattr(t, "source", "") == "合规"]
    assert StaleMark.objects.filter(org=world.w, year=today.year, whole=True).exists()
    kept.refresh_stale(today=today)
    figure = next(f for f in workbench_for(user, today=today).figures if f.label == "本年合规率")
    live = summarize(evaluate(world.w, P.year(today.year), today=today))
    assert figure.value == f"{live['rate']:.1%}"
