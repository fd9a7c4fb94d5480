from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    # Demo data (dangjian.core.demo): functions of accounts/demo.py → rank.
    demo_steps = {"build_admin": 10, "build": 40}

    def ready(self):
        from dangjian.accounts import signals  # noqa: F401  (login audit)
