"""``dangjian meetings_remind``: remind secretaries of plan slots due soon (run daily)."""

from django.core.management.base import BaseCommand

from dangjian.meetings.services import plan_send_reminders


class Command(BaseCommand):
    help = "提醒各支部书记：年度计划中即将到期（REMINDER_DAYS_BEFORE 天内）且尚未完成的会议"

    def handle(self, *args, **options):
        sent = plan_send_reminders()
        self.stdout.write(f"已发送 {sent} 条组织生活提醒")
