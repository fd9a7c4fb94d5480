from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "dangjian.opinion"
    label = "opinion"
    verbose_name = "舆情研判"
