from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "一件事"

    # Demo data (dangjian.core.demo): functions of development/demo.py → rank.
    demo_steps = {"build": 130}

    def ready(self):
        # Contribute to-dos, calendar entries and figures to the workbench (工作台), and the
        # candidates of the member picker in its forms (pickers).
        # The audit log names the keys of step data through their form labels.
        from dangjian.core.selectors import register_audit_keys
        from dangjian.development import pickers, workbench  # noqa: F401
        from dangjian.development.forms import EligibleForm
        from dangjian.development.stepdata import AUDIT_KEY_MODELS, AUDIT_KEYS, step_labels

        register_audit_keys(
            {**step_labels(), **AUDIT_KEYS}, AUDIT_KEY_MODELS, {"list": dict(EligibleForm.LISTS)}
        )
