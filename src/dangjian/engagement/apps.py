from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "dangjian.engagement"
    label = "engagement"
    verbose_name = "咨询调查"
