"""``dangjian opinion_fetch``: fetch every active opinion source (or ``--source ID``) and
remind the people of cases past their reply deadline. Run from cron; idempotent (a feed
fetched again adds nothing, a reminder goes out once per case)."""

from django.core.management.base import BaseCommand

from dangjian.opinion.tasks import fetch_sources, remind_late_cases


class Command(BaseCommand):
    help = "抓取舆情来源（RSS/Atom），提醒超过回应时限的舆情研判"

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", help="只抓取该编号的来源")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, source=None, enqueue=False, **options):
        if enqueue:
            from dangjian.opinion.tasks import fetch_all

            fetch_all.enqueue()
            self.stdout.write("已加入后台任务队列")
            return
        total = fetch_sources(source)
        reminded = remind_late_cases()
        self.stdout.write(
            f"读取 {total['fetched']} 条，新增 {total['new']} 条，命中 {total['matched']} 条；"
            f"失败来源 {total['failed']} 个；逾期提醒 {reminded} 条"
        )
