"""The audit log page shows names, field names and enum labels, never ids or raw values."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.models import AuditEntry
from dangjian.core.selectors import audit_change_lines


def test_changes_read_as_field_names_labels_and_object_names(world):
    member = world.members_a[1]
    entry = audit(
        actor=world.user("sec_a"),
        action=AuditEntry.Action.UPDATE,
        obj=member,
        changes={
            "org": [world.a.pk, world.b.pk],
            "status": ["probationary", "full"],
            "reason": "转正",
        },
    )
    audit_change_lines([entry])
    shown = {line.label: line.text for line in entry.change_lines}
    assert shown["所在党组织"] == "预算处党支部 → 国库处党支部"
    assert "预备党员 → 正式党员" in shown.values()
    assert shown["原因"] == "转正"


def test_a_deleted_object_is_named_as_deleted_not_a_bare_id(world):
    entry = audit(
        actor=world.user("sec_a"),
        action=AuditEntry.Action.UPDATE,
        obj=world.members_a[1],
        changes={"org": 999999},
    )
    audit_change_lines([entry])
    assert entry.change_lines[0].text == "（已删除，编号 999999）"


def test_audit_page_shows_names_and_beijing_time(world, client_for):
    member = world.members_a[1]
    entry = audit(
        actor=world.user("sec_a"),
        action=AuditEntry.Action.UPDATE,
        obj=member,
        changes={"org": [world.a.pk, world.b.pk], "status": ["probationary", "full"]},
    )
    at = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)  # 08:30 in Beijing
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    html = client_for(world.user("admin")).get(reverse("core:audit")).content.decode()
    assert "2026-03-01 08:30:00" in html
    assert "预算处党支部 → 国库处党支部" in html
    assert "预备党员 → 正式党员" in html
    assert "probationary" not in html
    assert f"[{world.a.pk}, {world.b.pk}]" not in html
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"


def test_counts_stay_counts_and_nested_data_reads_through_labels(world):
    entry = audit(
        actor=world.user("admin"),
        action=AuditEntry.Action.CREATE,
        obj=world.w,
        changes={"members": 120, "apps": ["dues"], "data": {"org": world.a.pk}},
    )
    audit_change_lines([entry])
    shown = [(line.label, line.text) for line in entry.change_lines]
    assert ("党员", "120") in shown
    assert ("模块", "党费") in shown
    assert any("预算处党支部" in text for _, text in shown)


def test_a_count_named_like_a_field_of_another_app_stays_a_count(world):
    entry = audit(
        actor=world.user("admin"),
        action=AuditEntry.Action.CREATE,
        obj=world.w,
        changes={"groups": 2},
    )
    audit_change_lines([entry])
    assert (entry.change_lines[0].label, entry.change_lines[0].text) == ("党小组", "2")


def _shown(object_type: str, changes: dict) -> dict[str, str]:
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.UPDATE, object_type=object_type, changes=changes
    )
    audit_change_lines([entry])
    return {line.label: line.text for line in entry.change_lines}


def test_demo_scale_shows_its_label_not_small(db):
    shown = _shown("orgs.org", {"scale": "small", "seed": 2026})
    assert shown["规模"] == "测试（少量支部）"


def test_booleans_and_empty_values_read_as_words(db):
    shown = _shown("members.member", {"full_id_numbers": False, "reason": None})
    assert shown == {"含完整身份证号": "否", "原因": "—"}


def test_value_of_a_field_on_another_model_of_the_app_shows_its_label(db):
    # A meeting's entry records an attendee's status and sign-in channel.
    shown = _shown("meetings.meeting", {"status": ["absent", "present"], "channel": "qr"})
    assert shown == {"状态": "缺席 → 出席", "签到方式": "扫码签到"}


def test_eligible_list_export_names_the_list(db):
    shown = _shown("development.case", {"rows": 3, "list": "probation"})
    assert shown["名单"] == "本月预备期满"
