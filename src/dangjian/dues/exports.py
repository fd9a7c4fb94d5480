"""Excel/CSV exports of the dues sheet and the yearly summary (rows only; the base class
writes the file)."""

from __future__ import annotations

from dangjian.core.exporters import Exporter, Percent
from dangjian.dues.selectors import Sheet, SummaryRow


def _s(value) -> str:
    return "" if value is None else str(value)


class SheetExporter(Exporter):
    title = "党费收缴表"
    headers = (
        "月份",
        "党组织",
        "姓名",
        "类别",
        "交纳基数（元）",
        "比例",
        "应交（元）",
        "依据",
        "状态",
        "实交（元）",
        "交纳日期",
        "方式",
    )

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    def rows(self):
        for line in self.sheet.lines:
            yield (
                self.sheet.month_label,
                self.sheet.orgs.get(line.org_id, ""),
                line.name,
                line.category_label,
                line.base,
                Percent(line.rate) if line.rate is not None else None,
                line.amount,
                line.rule_code,
                line.state_label,
                line.paid_amount,
                _s(line.paid_on),
                line.method_label,
            )
        t = self.sheet.totals
        yield (
            self.sheet.month_label,
            "合计",
            f"{t.members} 人",
            "",
            "",
            "",
            t.due,
            "",
            f"已交 {t.paid_members} 人",
            t.paid,
            "",
            f"收缴率 {Percent.of_hundred(t.rate) or '—'}",
        )


class SummaryExporter(Exporter):
    title = "党费年度汇总"
    headers = ("党组织", "人数", "应交（元）", "实交（元）", "收缴率")

    def __init__(self, rows: list[SummaryRow]) -> None:
        self.summary = rows

    def rows(self):
        for row in self.summary:
            yield (
                row.title,
                row.headcount,
                row.totals.due,
                row.totals.paid,
                Percent.of_hundred(row.totals.amount_rate),
            )
