from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    verbose_name = "组织生活"

    # Demo data (dangjian.core.demo): functions of meetings/demo.py → rank.
    demo_steps = {"build": 110}

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台).
        from dangjian.meetings import workbench  # noqa: F401
