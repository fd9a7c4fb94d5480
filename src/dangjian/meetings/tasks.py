"""Background work of organizational life."""

from django_tasks import task


@task()
def send_plan_reminders() -> int:
    """Remind secretaries of plan slots due within REMINDER_DAYS_BEFORE days (daily)."""
    from dangjian.meetings.services import plan_send_reminders

    return plan_send_reminders()
