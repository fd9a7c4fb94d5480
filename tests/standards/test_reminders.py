import datetime as dt

import pytest
from django.core.management import call_command

from dangjian.core.models import Notification
from dangjian.standards.services import compliance_remind
from dangjian.standards.tasks import send_reminders
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db
DUE_DAY = dt.date(2026, 12, 20)  # 11 days before the end of December and of Q4


def test_secretary_is_reminded_of_items_falling_due_once(world):
    sent = compliance_remind(today=DUE_DAY)
    assert sent > 0
    inbox = Notification.objects.filter(user=world.user("sec_a"))
    keys = set(inbox.values_list("dedupe_key", flat=True))
    assert f"standards:MTG-6:{world.a.pk}:2026-12" in keys
    # A group's items go to its branch's secretary.
    assert f"standards:MTG-4:{world.ga.pk}:2026-12" in keys
    theme = inbox.get(dedupe_key=f"standards:MTG-6:{world.a.pk}:2026-12")
    assert "主题党日" in theme.title and "2026-12-31" in theme.body
    assert not Notification.objects.filter(
        user=world.user("sec_b"), dedupe_key__contains=f":{world.a.pk}:"
    ).exists()
    assert compliance_remind(today=DUE_DAY) == 0
    assert compliance_remind(today=DUE_DAY + dt.timedelta(days=1)) == 0
    assert inbox.count() == len(keys)


def test_nothing_is_sent_for_items_already_met_or_far_off(world):
    held(world.a, "theme_day", local(2026, 11, 3))
    compliance_remind(today=dt.date(2026, 11, 10))  # 20 days left: outside the 14-day window
    assert not Notification.objects.filter(dedupe_key__startswith="standards:MTG-6").exists()
    compliance_remind(today=dt.date(2026, 11, 20))
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert f"standards:MTG-6:{world.a.pk}:2026-11" not in keys  # held: met
    assert f"standards:MTG-6:{world.b.pk}:2026-11" in keys


def test_the_window_is_configurable(world, settings):
    settings.STANDARDS_DUE_SOON_DAYS = 30
    compliance_remind(today=dt.date(2026, 11, 10))
    assert Notification.objects.filter(dedupe_key=f"standards:MTG-6:{world.a.pk}:2026-11").exists()


def test_command_and_task_run_the_same_reminders(world, capsys):
    call_command("standards", "remind", "--today", "2026-12-20")
    first = Notification.objects.count()
    assert first > 0 and "已发送提醒" in capsys.readouterr().out
    result = send_reminders.enqueue(today="2026-12-20")
    assert result.return_value == 0
    assert Notification.objects.count() == first


def test_check_command_prints_a_summary(world, capsys):
    call_command("standards", "check", "--org", str(world.a.pk), "--period", "2026-03")
    out = capsys.readouterr().out
    assert world.a.name in out and "MTG-6" in out
