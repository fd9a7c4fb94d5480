from django.core.management.base import BaseCommand, CommandError

from dangjian.standards.library import load_library


class Command(BaseCommand):
    help = "标准库：load 加载/升级随系统发布的标准与规则（幂等，不覆盖本地修改）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, action, **options):
        try:
            report = load_library()
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(str(report))
