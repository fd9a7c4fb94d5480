"""Excel/CSV export of the compliance heat map: the same rows and columns as the page.

Counts are numbers, rates are numbers (fractions) with a percentage format in Excel, an
empty cell where the rule does not apply; the column headers are the rules' short titles
with their codes."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core.exporters import Exporter, _xlsx_value

PERCENT = "0.0%"


class HeatmapExporter(Exporter):
    title = "合规热力图"
    fixed = ("组织", "类型", "期间", "达标率", "达标项", "应检项", "所含支部")
    rate_columns = {3}

    def __init__(self, data: dict, *, period: str):
        self.data = data
        self.period = period
        shorts = data.get("shorts") or {}
        self.headers = [
            *self.fixed,
            *[f"{shorts.get(c) or data['titles'].get(c, '')}（{c}）" for c in data["codes"]],
        ]
        first_rule = len(self.fixed)
        self.rate_columns = {3, *range(first_rule, first_rule + len(data["codes"]))}

    def rows(self) -> Iterable[Sequence]:
        for row in self.data["rows"]:
            cells = []
            for _code, cell in row["cells"]:
                rate = cell.get("rate") if cell else None
                cells.append(None if rate is None else round(rate, 4))
            yield [
                row["org"].name,
                row["org"].get_kind_display(),
                self.period,
                None if row["rate"] is None else round(row["rate"], 4),
                row["ok"],
                row["judged"],
                row["branches"] or None,
                *cells,
            ]

    def to_xlsx(self) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.title[:31])
        sheet.freeze_panes = "B2"
        header = []
        for h in self.headers:
            cell = WriteOnlyCell(sheet, value=h)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in self.rows():
            out = []
            for i, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
                if i in self.rate_columns and value is not None:
                    cell.number_format = PERCENT
                out.append(cell)
            sheet.append(out)
        own = self.data.get("own_findings") or []
        if own:
            extra = book.create_sheet("党委、总支本级事项")
            extra.append(["组织", "规则", "状态", "说明"])
            for org_name, rule, status, message in own:
                extra.append([_xlsx_value(v) for v in (org_name, rule, status, message)])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
