"""Excel/CSV export of the compliance heat map (rows only; the base class writes files)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dangjian.core.exporters import Exporter


class HeatmapExporter(Exporter):
    title = "合规热力图"

    def __init__(self, data: dict, *, period: str):
        self.data = data
        self.period = period
        self.headers = [
            "组织",
            "类型",
            "期间",
            "达标率",
            "达标项",
            "应检项",
            *[f"{c} {data['titles'].get(c, '')}" for c in data["codes"]],
        ]

    def rows(self) -> Iterable[Sequence]:
        for row in self.data["rows"]:
            cells = []
            for _code, cell in row["cells"]:
                if not cell or cell.get("rate") is None:
                    cells.append("")
                else:
                    cells.append(f"{cell['rate'] * 100:.0f}%（{cell['ok']}/{cell['judged']}）")
            yield [
                row["org"].name,
                row["org"].get_kind_display(),
                self.period,
                round(row["rate"], 4),
                row["ok"],
                row["judged"],
                *cells,
            ]
