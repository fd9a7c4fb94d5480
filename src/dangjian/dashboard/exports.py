"""The dashboard's figures as .xlsx (through ``core.exporters``): one row per figure."""

from __future__ import annotations

from dangjian.core.exporters import Exporter, Percent
from dangjian.core.panels import UNITS


class FiguresExporter(Exporter):
    headers = ("面板", "指标", "数值", "单位")

    def __init__(self, title: str, rows):
        self.title = title
        self._rows = rows

    def rows(self):
        for panel, label, value, unit in self._rows:
            if value is None:
                yield panel, label, "缺项", ""
            elif unit == "rate":
                yield panel, label, Percent.of_hundred(value), "%"
            else:
                yield panel, label, value, UNITS[unit]
