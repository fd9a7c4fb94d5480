from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "dangjian.talent"
    label = "talent"
    verbose_name = "人才库"

    # Demo data (dangjian.core.demo): functions of talent/demo.py → rank (after work, 150).
    demo_steps = {"build": 180}

    def ready(self):
        # Contribute to-dos and figures to the workbench (工作台), hits to the top bar's search.
        from dangjian.talent import search, workbench  # noqa: F401
