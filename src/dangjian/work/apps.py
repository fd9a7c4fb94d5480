from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "dangjian.work"
    label = "work"
    verbose_name = "党建+业务"

    # Demo data (dangjian.core.demo): functions of work/demo.py → rank (after learning).
    demo_steps = {"build": 150}

    def ready(self):
        # Contribute to-dos and figures to the workbench (工作台), hits to the top bar's search.
        from dangjian.work import search, workbench  # noqa: F401
