from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    # Demo data (dangjian.core.demo): functions of dues/demo.py → rank.
    demo_steps = {"build": 120}

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台).
        from dangjian.dues import workbench  # noqa: F401
