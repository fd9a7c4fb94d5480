from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "dangjian.publicity"
    label = "publicity"
    verbose_name = "宣传发布"
