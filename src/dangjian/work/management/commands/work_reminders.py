"""``dangjian work_reminders``: remind assignees of tasks due soon and escalate overdue tasks
to the assigning org (WRK-1). Run daily (cron / systemd timer); idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dangjian.work.tasks import task_reminders


class Command(BaseCommand):
    help = "提醒即将到期的交办任务，逾期任务报交办党组织督办（每天运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today 日期格式应为 YYYY-MM-DD")
        sent = task_reminders(today=day)
        self.stdout.write(f"到期提醒 {sent['reminded']} 条；逾期督办 {sent['escalated']} 条")
