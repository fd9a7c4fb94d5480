import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.errors import DomainError
from dangjian.standards.library import load_library


class Command(BaseCommand):
    help = (
        "标准库：load 加载/升级随系统发布的标准与规则（幂等，不覆盖本地修改）；"
        "remind 向书记发送即将到期事项提醒（每项每期只提醒一次，宜每天运行一次）；"
        "check 输出某组织某期间的合规情况；"
        "evaluate 重新评估全部组织本年度合规情况并保存结果（宜每晚运行一次；上一年度结束后"
        "首次运行时也保存上一年度的最终结果；--year 只评估并保存指定年度）；"
        'ask 法规问答（dangjian standards ask "支委会多久开一次"）'
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "remind", "check", "evaluate", "ask"])
        parser.add_argument("question", nargs="?", default="", help="ask：要问的问题")
        parser.add_argument("--limit", type=int, default=None, help="ask：返回条数（1–20）")
        parser.add_argument("--days", type=int, default=None, help="提前提醒的天数（默认按设置）")
        parser.add_argument("--today", default=None, help="按指定日期运行（YYYY-MM-DD），用于补发")
        parser.add_argument("--org", type=int, default=None, help="check：组织编号（默认顶级组织）")
        parser.add_argument("--period", default=None, help="check：2026、2026-Q1 或 2026-03")
        parser.add_argument(
            "--year", type=int, default=None, help="evaluate：只评估并保存该年度（不晚于本年度）"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="remind：交给后台任务执行而不是立即执行"
        )

    def handle(self, *args, action, **options):
        if action == "ask":
            self._ask(options["question"], options["limit"])
            return
        if action == "load":
            try:
                report = load_library()
            except (ValueError, KeyError) as exc:
                raise CommandError(str(exc))
            self.stdout.write(str(report))
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 日期格式应为 YYYY-MM-DD")
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days 不能为负数")
        if action == "evaluate":
            self._evaluate(today, options["year"])
            return
        if action == "remind":
            if options["enqueue"]:
                from dangjian.standards.tasks import send_reminders

                send_reminders.enqueue(
                    today=today.isoformat() if today else None, days=options["days"]
                )
                self.stdout.write("已加入后台任务队列")
                return
            from dangjian.standards.services import compliance_remind

            sent = compliance_remind(today=today, days=options["days"])
            self.stdout.write(f"已发送提醒 {sent} 条")
            return
        self._check(today, options)

    def _evaluate(self, today, year):
        import time

        from dangjian.standards import periods as P
        from dangjian.standards.kept import refresh_all

        if year is not None and not 1900 <= year <= (today or P.local_today()).year:
            raise CommandError("--year 应为不晚于本年度的年份")
        started = time.monotonic()
        count = refresh_all(today=today, year=year)
        self.stdout.write(f"已评估并保存 {count} 项，用时 {time.monotonic() - started:.1f} 秒")

    def _check(self, today, options):
        from dangjian.orgs.models import Org
        from dangjian.standards import periods as P
        from dangjian.standards.engine import evaluate, sort_worst_first, summarize

        today = today or P.local_today()
        org_qs = Org.objects.active()
        org = (
            org_qs.filter(pk=options["org"]).first()
            if options["org"]
            else org_qs.filter(parent__isnull=True).first()
        )
        if org is None:
            raise CommandError("组织不存在")
        try:
            period = P.parse(options["period"] or str(today.year))
        except DomainError as exc:
            raise CommandError(exc.message)
        findings = sort_worst_first(evaluate(org, period, today=today))
        self.stdout.write(f"{org.name} {period.label}：{summarize(findings)}")
        for f in findings:
            if f.status != "ok":
                self.stdout.write(f"[{f.status}] {f.rule_code} {f.org_name} {f.period} {f.message}")

    def _ask(self, question, limit):
        from dangjian.standards.ask.answers import ask

        if limit is not None and not 1 <= limit <= 20:
            raise CommandError("--limit 应在 1 到 20 之间")
        try:
            result = ask(question, limit=limit)
        except DomainError as exc:
            raise CommandError(exc.message)
        if not result.answers:
            self.stdout.write(result.message)
            return
        for n, a in enumerate(result.answers, 1):
            where = "常见问题"
            if a.standard is not None:
                where = f"《{a.standard.short_name}》{a.entry.article or ''}"
            code = f"{a.entry.rule} " if a.entry.rule else ""
            self.stdout.write(f"{n}. {code}{a.entry.title}（{where}，相关度 {a.score:.2f}）")
            if a.params:
                params = "；".join(f"{p['label']} {p['text']}" for p in a.params)
                self.stdout.write(f"   现行参数：{params}")
            if a.article is not None and a.article.text:
                self.stdout.write(f"   {a.article.number}：{a.article.text}")
            if a.kind == "faq" and a.entry.faq.answer:
                self.stdout.write(f"   {a.entry.faq.answer}")
