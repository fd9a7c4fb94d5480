"""``dangjian channel_retry``: queue the channel deliveries whose retry time has come (and
any left waiting, e.g. after the worker was down). The database task backend already runs
each retry at its time; this sweep is the safety net. Run every few minutes (cron)."""

from django.core.management.base import BaseCommand

from dangjian.core.channels.delivery import deliveries_retry_due


class Command(BaseCommand):
    help = "重新排队到期待重试的渠道推送（建议每 5 分钟运行一次）"

    def handle(self, *args, **options):
        self.stdout.write(f"重新排队 {deliveries_retry_due()} 条渠道推送")
