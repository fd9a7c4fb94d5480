"""``dangjian development_reminders``: open election cases ahead of term end (ELE-1) and send
deadline reminders for procedure cases. Run daily (cron / systemd timer); idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dangjian.development.tasks import deadline_reminders, election_reminders


class Command(BaseCommand):
    help = "开启临近任期届满的换届选举案卷，并提醒即将到期或已逾期的一件事流程（每天运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else dt.date.today()
        except ValueError:
            raise CommandError("--today 日期格式应为 YYYY-MM-DD")
        opened = election_reminders(today=day)
        sent = deadline_reminders(today=day)
        self.stdout.write(f"换届选举案卷新开 {len(opened)} 个；期限提醒 {sent} 条")
