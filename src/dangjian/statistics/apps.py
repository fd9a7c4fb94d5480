from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    # The package is dangjian.statistics; import it by its full path (the standard library
    # has a module named ``statistics``).
    name = "dangjian.statistics"
    label = "statistics"
    verbose_name = "党内统计"
