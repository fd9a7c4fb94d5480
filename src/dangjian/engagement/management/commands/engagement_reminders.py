"""``dangjian engagement_reminders``: remind handling orgs of consultations due soon and of
those past their reply deadline (ENG-1). Run daily (cron / systemd timer); idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dangjian.engagement.tasks import reply_reminders


class Command(BaseCommand):
    help = "提醒受理党组织答复即将到期和已逾期的咨询、意见建议和投诉（每天运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today 日期格式应为 YYYY-MM-DD") from None
        sent = reply_reminders(today=day)
        self.stdout.write(f"到期提醒 {sent['reminded']} 条；逾期提醒 {sent['late']} 条")
