from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    verbose_name = "组织生活"

    # Demo data (dangjian.core.demo): functions of meetings/demo.py → rank.
    demo_steps = {"build": 110}
