from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "dangjian.opinion"
    label = "opinion"
    verbose_name = "舆情研判"

    # Demo data (dangjian.core.demo): functions of opinion/demo.py → rank.
    demo_steps = {"build": 190}

    def ready(self):
        # Contribute to-dos and a figure to the workbench (工作台), hits to the top bar's search.
        from dangjian.opinion import search, workbench  # noqa: F401
