import datetime as dt

import pytest

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.standards import periods as P
from dangjian.standards.engine import evaluate
from dangjian.standards.library import load_library, read_library
from dangjian.standards.models import Rule
from dangjian.standards.selectors import rule_in_force
from dangjian.standards.services import rule_update

pytestmark = pytest.mark.django_db


def test_every_rule_of_sections_a_b_e_is_in_the_library_with_its_source(db):
    codes = set(Rule.objects.values_list("code", flat=True))
    wanted = {f"ORG-{i}" for i in range(1, 9)} | {f"MTG-{i}" for i in range(1, 11)}
    wanted |= {f"EDU-{i}" for i in range(1, 6)}
    assert wanted <= codes
    for rule in Rule.objects.filter(code__in=wanted):
        assert rule.standard.short_name and rule.article and rule.verification in "VPL"


def test_meeting_frequency_rules_keep_the_plan_contract(db):
    for code, kind, period in [
        ("MTG-1", "general_meeting", "quarter"),
        ("MTG-3", "board_meeting", "month"),
        ("MTG-4", "group_meeting", "month"),
        ("MTG-5", "party_lecture", "quarter"),
        ("MTG-6", "theme_day", "month"),
        ("MTG-7", "life_meeting", "year"),
        ("MTG-9", "heart_talk", "year"),
    ]:
        params = rule_in_force(code).params
        assert (params["kind"], params["period"], params["min"]) == (kind, period, 1)
    assert rule_in_force("MTG-7").params["preferred_quarter"] == 4
    assert rule_in_force("MTG-2").params == {
        "quorum_more_than": "1/2",
        "pass_more_than": "1/2",
        "pass_base": "expected",
    }
    assert rule_in_force("MTG-5").verification == "L"


def test_reloading_is_idempotent(db):
    before = Rule.objects.count()
    report = load_library()
    assert report.rules_created == 0 and report.versions_added == 0
    assert Rule.objects.count() == before
    assert report.unchanged == len(read_library()[1])


def test_editing_a_number_makes_a_new_version_and_old_periods_keep_the_old(world):
    admin = world.user("admin")
    new = rule_update(
        actor=admin,
        code="MTG-5",
        effective_from=dt.date(2026, 7, 1),
        change_reason="本系统党课改为每月一次",
        params={"kind": "party_lecture", "period": "month", "min": 1},
    )
    assert (new.version, new.is_local_edit, new.created_by) == (2, True, admin)
    old = Rule.objects.get(code="MTG-5", version=1)
    assert old.effective_to == dt.date(2026, 7, 1)
    assert rule_in_force("MTG-5", dt.date(2026, 6, 30)).version == 1
    assert rule_in_force("MTG-5", dt.date(2026, 7, 1)).version == 2
    found = evaluate(world.a, P.year(2026), today=dt.date(2026, 11, 20), codes=["MTG-5"])
    periods = sorted({(f.period, f.rule_version) for f in found if f.org_id == world.a.pk})
    assert periods == [
        ("2026-07", 2),
        ("2026-08", 2),
        ("2026-09", 2),
        ("2026-10", 2),
        ("2026-11", 2),
        ("2026-Q1", 1),
        ("2026-Q2", 1),
    ]
    entry = AuditEntry.objects.filter(object_type="standards.rule").latest("at")
    assert "MTG-5" in entry.verb and entry.changes["reason"] == "本系统党课改为每月一次"


def test_the_same_edit_sent_twice_makes_one_version(world):
    kwargs = {
        "actor": world.user("admin"),
        "code": "MTG-6",
        "effective_from": dt.date(2027, 1, 1),
        "change_reason": "调整",
        "params": {"kind": "theme_day", "period": "month", "min": 2},
    }
    first = rule_update(**kwargs)
    again = rule_update(**kwargs)
    assert first.pk == again.pk
    assert Rule.objects.filter(code="MTG-6").count() == 2


def test_reload_after_a_local_edit_leaves_it_alone(world):
    rule_update(
        actor=world.user("admin"),
        code="MTG-1",
        effective_from=dt.date(2027, 1, 1),
        change_reason="本地",
        params={"kind": "general_meeting", "period": "month", "min": 1},
    )
    load_library()
    assert rule_in_force("MTG-1", dt.date(2027, 2, 1)).params["period"] == "month"


def test_only_platform_admins_edit_rules(world):
    with pytest.raises(Forbidden):
        rule_update(
            actor=world.user("sec_a"),
            code="MTG-1",
            effective_from=dt.date(2027, 1, 1),
            change_reason="x",
            params={"kind": "general_meeting", "period": "month", "min": 1},
        )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "general_meeting", "period": "week", "min": 1}, "params.period"),
        ({"kind": "general_meeting", "period": "month", "min": 0}, "params.min"),
        ({"kind": "general_meeting", "period": "month", "min": 1, "x": 1}, "params.x"),
        ({"kind": "party", "period": "month", "min": 1}, "params.kind"),
    ],
)
def test_params_are_validated_against_the_checker_schema(world, params, field):
    with pytest.raises(DomainError) as exc:
        rule_update(
            actor=world.user("admin"),
            code="MTG-1",
            effective_from=dt.date(2027, 1, 1),
            change_reason="x",
            params=params,
        )
    assert field in [e["field"] for e in exc.value.errors]
    assert Rule.objects.filter(code="MTG-1").count() == 1


def test_new_version_must_start_after_the_current_one(world):
    with pytest.raises(Conflict):
        rule_update(
            actor=world.user("admin"),
            code="MTG-1",
            effective_from=dt.date(2018, 1, 1),
            change_reason="x",
            params={"kind": "general_meeting", "period": "month", "min": 1},
        )


def test_applies_to_is_validated(world):
    with pytest.raises(DomainError) as exc:
        rule_update(
            actor=world.user("admin"),
            code="MTG-3",
            effective_from=dt.date(2027, 1, 1),
            change_reason="x",
            applies_to={"kinds": ["branch"], "min_full_members": -1},
        )
    assert exc.value.errors[0]["field"] == "applies_to.min_full_members"
