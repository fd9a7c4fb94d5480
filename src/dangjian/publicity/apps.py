from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "dangjian.publicity"
    label = "publicity"
    verbose_name = "宣传发布"

    # Demo data (dangjian.core.demo): functions of publicity/demo.py → rank (after work).
    demo_steps = {"build": 160}

    def ready(self):
        # Contribute to-dos to the workbench (工作台) and hits to the top bar's search.
        from dangjian.publicity import search, workbench  # noqa: F401
