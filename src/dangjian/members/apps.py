from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员"

    # Demo data (dangjian.core.demo): functions of members/demo.py → rank.
    demo_steps = {"build": 30}

    def ready(self):
        # Contribute member hits to the top bar's search (core.search).
        from dangjian.members import search  # noqa: F401
