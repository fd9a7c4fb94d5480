"""Exporters yield rows; the base class writes XLSX and CSV (pretix's exporter pattern)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Exporter:
    title: str = "导出"
    headers: Sequence[str] = ()

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def to_xlsx(self) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.title[:31])
        from openpyxl.cell import WriteOnlyCell

        header = []
        for h in self.headers:
            cell = WriteOnlyCell(sheet, value=h)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in self.rows():
            sheet.append([_xlsx_value(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers)
        for row in self.rows():
            writer.writerow([_csv_guard(v) for v in row])
        return out.getvalue()

    def response(self, filename: str, fmt: str = "xlsx") -> HttpResponse:
        if fmt == "csv":
            resp = HttpResponse("\ufeff" + self.to_csv(), content_type="text/csv; charset=utf-8")
            filename += ".csv"
        else:
            resp = HttpResponse(self.to_xlsx(), content_type=XLSX_TYPE)
            filename += ".xlsx"
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return resp


def _xlsx_value(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES[:4]):
        return "'" + value
    return value


def _csv_guard(value):
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
