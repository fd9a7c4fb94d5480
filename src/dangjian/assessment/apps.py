from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    label = "assessment"
    verbose_name = "考核督查"
    demo_steps = {"build": 900}  # after every other app's step (it reads their records)

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台).
        from dangjian.assessment import workbench  # noqa: F401
        from dangjian.assessment.schemes import workbench as scheme_workbench  # noqa: F401
        from dangjian.assessment.supervision import workbench as supervision  # noqa: F401
