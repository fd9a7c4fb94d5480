from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    verbose_name = "组织生活"

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台).
        from dangjian.meetings import workbench  # noqa: F401
