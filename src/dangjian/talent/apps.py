from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "dangjian.talent"
    label = "talent"
    verbose_name = "人才库"
