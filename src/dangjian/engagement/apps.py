from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "dangjian.engagement"
    label = "engagement"
    verbose_name = "咨询调查"

    # Demo data (dangjian.core.demo): functions of engagement/demo.py → rank.
    demo_steps = {"build": 170}

    def ready(self):
        # To-dos and figures for the workbench (工作台), hits for the top bar's search.
        from dangjian.engagement import search, workbench  # noqa: F401

        # Published FAQ answer questions in 法规问答 next to the rules (standards/ask).
        from dangjian.engagement.selectors import published_faq
        from dangjian.standards.ask import register_source

        register_source("engagement", published_faq)
