from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "平台基础"
    # After every other app's step: their demo publications are not queued for sending.
    demo_steps = {"build_channels": 950}

    def ready(self):
        # Every app's metrics.py registers the named metrics an assessment can read.
        autodiscover_modules("metrics")
        # Every app's portal.py registers its sections of the public portal (/public/).
        autodiscover_modules("portal")
        # What is published to an org goes to its outgoing channels; failed ones show on the
        # workbench.
        from dangjian.core.channels import receivers, workbench  # noqa: F401
