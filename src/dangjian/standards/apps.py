from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class StandardsConfig(AppConfig):
    name = "dangjian.standards"
    label = "standards"
    verbose_name = "标准规范"

    def ready(self):
        # Every app's rules.py registers its checkers, and a facts.py its shared facts
        # (an app may also register facts in its rules.py).
        autodiscover_modules("rules")
        autodiscover_modules("facts")
        # Their watched events mark kept findings stale (standards.kept).
        from dangjian.standards.kept import connect

        connect()
        # Contribute findings and the compliance rate to the workbench (工作台), and 法规问答's
        # hits to the top bar's search; the ask index forgets the FAQ when something is
        # published (a source may have a new entry).
        from dangjian.core.signals import published
        from dangjian.standards import workbench  # noqa: F401
        from dangjian.standards.ask import search  # noqa: F401
        from dangjian.standards.ask.index import invalidate

        published.connect(invalidate, dispatch_uid="standards-ask-published")
        from dangjian.standards.signals import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid="standards-load")
