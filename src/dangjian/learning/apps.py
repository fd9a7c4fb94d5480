from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    verbose_name = "学习教育"

    # Demo data (dangjian.core.demo): functions of learning/demo.py → rank.
    demo_steps = {"build": 140, "build_exams": 141, "trainings": 145}

    def ready(self):
        # Contribute to-dos to the workbench (工作台).
        from dangjian.learning import workbench  # noqa: F401
