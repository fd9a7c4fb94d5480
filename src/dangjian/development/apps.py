from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "一件事"

    # Demo data (dangjian.core.demo): functions of development/demo.py → rank.
    demo_steps = {"build": 130}

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台).
        from dangjian.development import workbench  # noqa: F401
