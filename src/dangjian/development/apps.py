from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "一件事"
