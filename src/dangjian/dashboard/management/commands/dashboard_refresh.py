"""``dangjian dashboard_refresh``: rebuild the 驾驶舱's kept figures (every panel, every org)
for this year, or the years given. Run nightly from cron, so figures follow the calendar (a
plan's meeting falling due, a month of dues); idempotent. ``--enqueue`` hands it to a
worker instead."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.core.actors import SYSTEM
from dangjian.core.errors import DomainError
from dangjian.dashboard.services import figures_rebuild
from dangjian.dashboard.tasks import rebuild_figures


class Command(BaseCommand):
    help = "更新驾驶舱数据（全部面板、全部党组织；每晚运行一次）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="年度（可重复），默认今年及此前 DASHBOARD_REFRESH_YEARS-1 年",
        )
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, year=None, enqueue=False, **options):
        this = timezone.localdate().year
        years = year or [this - i for i in range(max(1, settings.DASHBOARD_REFRESH_YEARS))]
        for y in years:
            if enqueue:
                rebuild_figures.enqueue(year=y)
                self.stdout.write(f"{y}年：已交给后台任务")
                continue
            try:
                result = figures_rebuild(actor=SYSTEM, year=y)
            except DomainError as exc:
                raise CommandError(exc.message)
            self.stdout.write(
                f"{y}年：{result.orgs} 个党组织，{result.rows} 行，用时 {result.seconds:.2f} 秒"
            )
