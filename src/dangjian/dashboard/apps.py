from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dangjian.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"
    # After every app's data: the demo ends by rebuilding the figures.
    demo_steps = {"build": 900}

    def ready(self):
        from dangjian.core import panels
        from dangjian.dashboard import selectors, watch

        watch.connect()
        panels.set_reader(selectors.kept_figures)
