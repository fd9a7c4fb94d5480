"""Exporters yield rows; the base class writes XLSX and CSV (pretix's exporter pattern)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

MONEY_FORMAT = "#,##0.00"  # every Decimal cell is an amount of money (元)
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Percent:
    """A rate for an export cell: ``Percent(Decimal("0.015"))`` is 1.5 %.

    XLSX stores the fraction as a number with a percentage format; CSV writes ``1.5%``."""

    fraction: Decimal | float

    @classmethod
    def of_hundred(cls, value: Decimal | float | None) -> Percent | None:
        """From a value already multiplied by 100 (95.5 -> 95.5 %)."""
        return None if value is None else cls(Decimal(str(value)) / 100)

    def __str__(self) -> str:
        hundred = (Decimal(str(self.fraction)) * 100).normalize()
        return f"{hundred:f}%"


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

        header = []
        for h in self.headers:
            cell = WriteOnlyCell(sheet, value=h)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in self.rows():
            sheet.append([_xlsx_cell(sheet, v) for v in row])
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


def _xlsx_cell(sheet, value):
    """Numbers stay numbers: amounts with the money format, rates with a percentage one."""
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=float(value.fraction))
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES[:4]):
        return "'" + value
    return value


def _csv_guard(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# Workbooks of several sheets (report tables in the layout of a printed form): each sheet has
# title lines above its header, bold headers and column widths that fit CJK text (a CJK
# character is about two Latin ones wide).
@dataclass(frozen=True)
class Sheet:
    title: str
    lines: Sequence[str]
    headers: Sequence[str]
    rows: Sequence[Sequence]


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        for line in spec.lines:
            sheet.append([line])
        sheet.append(list(spec.headers))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append([_xlsx_value(v) for v in row])
        first = len(spec.lines) + 1
        for col, header in enumerate(spec.headers, start=1):
            widths = [_display_width(header)] + [
                _display_width(r[col - 1]) for r in spec.rows if col <= len(r)
            ]
            sheet.column_dimensions[get_column_letter(col)].width = min(max(widths) + 2, 60)
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
