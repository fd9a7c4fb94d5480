from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "一件事"

    # Demo data (dangjian.core.demo): functions of development/demo.py → rank.
    demo_steps = {"build": 130}
