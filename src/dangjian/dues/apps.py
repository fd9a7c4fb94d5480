from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    # Demo data (dangjian.core.demo): functions of dues/demo.py → rank.
    demo_steps = {"build": 120}
