"""The demo command builds a valid, deterministic system (at the reduced ``--small`` size)."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import sys
import types

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from dangjian.core import crypto
from dangjian.core.demo import DEMO_PASSWORD, demo_steps
from dangjian.core.idnumber import validate_id_number
from dangjian.core.management.commands.demo import DEMO_ACCOUNTS, build_demo
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member, MemberEvent
from dangjian.members.services import STAGE_FIELDS, STATUS_DATE
from dangjian.orgs.models import Board, Org, Position


@pytest.fixture
def demo(db):
    """The backbone only (quick); the apps' demo modules are exercised by the last tests."""
    return build_demo(scale="small", seed=2026, app_demos=False)


class _Rollback(Exception):
    pass


def _names_for(seed: int) -> list[str]:
    """Build the small demo with ``seed``, take every name, and roll it all back."""
    try:
        with transaction.atomic():
            ctx = build_demo(scale="small", seed=seed, today=dt.date(2026, 6, 1), app_demos=False)
            names = [org.name for org in Org.objects.order_by("path")]
            names += [m.name for m in ctx.members()]
            names += [m.id_number_masked for m in ctx.members()]
            raise _Rollback(names)
    except _Rollback as done:
        return done.args[0]


def test_small_demo_has_the_expected_shape(demo):
    assert Org.objects.filter(kind="work_committee").count() == 1
    assert Org.objects.filter(kind="committee").count() == 3
    assert Org.objects.filter(kind="branch").count() == 8
    assert Member.objects.count() == 120 == len(demo.members())
    assert Org.objects.filter(kind="group").exists()
    assert sorted(demo.accounts) == sorted(name for name, _ in DEMO_ACCOUNTS)


def test_every_member_has_a_valid_id_number_matching_birth_date_and_gender(demo):
    for member in Member.objects.all():
        number = crypto.decrypt(member.id_number_encrypted)
        assert validate_id_number(number, birth_date=member.birth_date, gender=member.gender)
        assert member.id_number_masked == number[:3] + "*" * 11 + number[-4:]
        assert member.id_number_hash == crypto.lookup_hash(number)
        assert dt.date(1960, 1, 1) <= member.birth_date <= dt.date(2003, 12, 31)


def test_stage_dates_are_in_order_and_match_the_status(demo):
    today = dt.date.today()
    for member in Member.objects.all():
        dates = [getattr(member, f) for f in STAGE_FIELDS if getattr(member, f)]
        assert dates == sorted(dates), member.name
        assert all(member.birth_date < d <= today for d in dates)
        assert getattr(member, STATUS_DATE[member.status]) is not None
        if member.status == Member.Status.FULL:
            assert member.party_age is not None
        else:
            assert member.full_at is None
        assert member.name_pinyin and member.name_initials
        assert 2 <= len(member.name) <= 4


def test_members_sit_in_branches_and_groups_of_their_own_branch(demo):
    assert not Member.objects.exclude(org__kind="branch").exists()
    for member in Member.objects.filter(group__isnull=False).select_related("group"):
        assert member.group.parent_id == member.org_id


def test_every_member_has_one_created_event(demo):
    assert MemberEvent.objects.filter(kind="created").count() == Member.objects.count()
    assert not Member.objects.exclude(events__kind="created").exists()


def test_boards_have_terms_and_a_secretary(demo):
    for branch in demo.branches:
        board = Board.objects.get(org=branch, is_current=True)
        assert board.term_end > board.term_start
        assert Position.objects.filter(org=branch, role="secretary", board=board).count() == 1


def test_the_build_is_audited_once(demo):
    entry = AuditEntry.objects.get(verb="装入演示数据")
    assert entry.changes["members"] == 120
    assert entry.changes["seed"] == 2026


@pytest.mark.parametrize("username", [name for name, _ in DEMO_ACCOUNTS])
def test_demo_accounts_can_log_in(demo, client, username):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code in {200, 302}
    assert client.session.get("_auth_user_id") == str(demo.accounts[username].pk)


def test_secretary_reaches_only_their_branch(demo, client_for):
    shuji = demo.accounts["shuji"]
    branch = Position.objects.get(user=shuji, role="secretary").org
    assert branch.name == "市财政局预算处党支部"
    visible = set(Member.objects.visible_to(shuji).values_list("pk", flat=True))
    assert visible == set(Member.objects.filter(org=branch).values_list("pk", flat=True))
    outsider = Member.objects.exclude(org=branch).first()
    client = client_for(shuji)
    assert client.get(reverse("members:detail", args=[outsider.pk])).status_code == 404
    own = Member.objects.filter(org=branch).exclude(pk=shuji.member_id).first()
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200


def test_plain_member_sees_only_themselves(demo):
    dangyuan = demo.accounts["dangyuan"]
    assert list(Member.objects.visible_to(dangyuan)) == [dangyuan.member]
    assert not Position.objects.filter(member=dangyuan.member).exists()


def test_committee_and_work_committee_admins_reach_their_subtrees(demo):
    dangwei, gongwei = demo.accounts["dangwei"], demo.accounts["gongwei"]
    committee = demo.committees[0]
    assert Member.objects.visible_to(dangwei).count() == (
        Member.objects.filter(org__path__startswith=committee.path).count()
    )
    assert Member.objects.visible_to(gongwei).count() == Member.objects.count()


def test_same_seed_gives_the_same_system_and_another_seed_another(db):
    first = _names_for(7)
    assert first == _names_for(7)
    assert first != _names_for(8)


def test_once_does_nothing_when_orgs_exist(demo):
    before = Member.objects.count()
    call_command("demo", "--once", "--small", "--backbone-only", verbosity=0)
    assert Member.objects.count() == before


def test_a_second_build_into_a_filled_database_is_refused(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo", "--small", "--backbone-only", verbosity=0)


def test_apps_demo_modules_run_in_installed_order_with_the_context(db, monkeypatch):
    calls = []
    for app in ("dangjian.assessment", "dangjian.dashboard"):
        module = types.ModuleType(f"{app}.demo")
        module.__spec__ = importlib.machinery.ModuleSpec(f"{app}.demo", None)
        module.build = lambda ctx, app=app: calls.append((app, len(ctx.branches), ctx.scale))
        module.build_scheme = module.build  # assessment names its step (demo_steps)
        monkeypatch.setitem(sys.modules, f"{app}.demo", module)
    ctx = build_demo(scale="small", seed=1)
    assert calls == [("dangjian.assessment", 8, "demo"), ("dangjian.dashboard", 8, "demo")]
    ran = AuditEntry.objects.get(verb="装入演示数据").changes["apps"]
    assert ran[-2:] == ["assessment", "dashboard"]
    # By their steps' ranks (an app's rank may put it before an app installed earlier:
    # talent's 180 runs before assessment's 900).
    ranked = [step.label for step in demo_steps()]
    assert ran == sorted(ran, key=ranked.index)
    assert ctx.accounts["admin"].is_superuser


def test_the_backbone_steps_run_first_in_their_order_then_the_apps():
    steps = [(step.label, step.name) for step in demo_steps()]
    assert steps[:5] == [
        ("accounts", "build_admin"),
        ("orgs", "build_tree"),
        ("members", "build"),
        ("accounts", "build"),
        ("orgs", "build_boards"),
    ]
    assert [step.backbone for step in demo_steps()] == [True] * 5 + [False] * (len(steps) - 5)
    apps = [label for label, _ in steps[5:]]
    assert apps.index("meetings") < apps.index("dues") < apps.index("development")


def test_a_step_runs_at_its_rank_with_what_the_steps_before_built(db, monkeypatch):
    """An app's step ranked between the tree (20) and the members (30) sees the branches
    but no members yet; it is part of the backbone, so --backbone-only runs it too."""
    seen = []
    module = types.ModuleType("dangjian.assessment.demo")
    module.__spec__ = importlib.machinery.ModuleSpec("dangjian.assessment.demo", None)
    module.between = lambda ctx: seen.append((len(ctx.branches), len(ctx.members_by_org)))
    monkeypatch.setitem(sys.modules, "dangjian.assessment.demo", module)
    config = django_apps.get_app_config("assessment")
    monkeypatch.setattr(config, "demo_steps", {"between": 25}, raising=False)
    build_demo(scale="small", seed=1, app_demos=False)
    assert seen == [(8, 0)]


def test_backbone_only_builds_no_app_data(demo):
    from dangjian.meetings.models import Meeting

    assert Member.objects.exists()
    assert not Meeting.objects.exists()
    assert AuditEntry.objects.get(verb="装入演示数据").changes["apps"] == []


def test_bench_measure_reports_status_and_queries_of_one_request(demo):
    from bench import client_as, measure
    from bench.run import modules

    result = measure(client_as("shuji"), "/members/", who="shuji", repeat=3)
    assert result.status == 200
    assert result.queries > 0
    assert result.median_ms <= result.p95_ms
    assert "members" in modules([])
    assert modules(["members"]) == ["members"]
