"""Member import from the Excel template: all-or-nothing, every bad row named."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
import zlib
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.core import crypto
from dangjian.core.audit import audit
from dangjian.core.errors import DomainError
from dangjian.core.idnumber import normalize
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.members import services
from dangjian.members.models import Member
from dangjian.orgs.models import Org, Unit
from dangjian.orgs.services import unit_create

# (column header, field, kind, example)
COLUMNS = [
    ("姓名", "name", "text", "张三"),
    ("性别", "gender", "gender", "男"),
    ("民族", "ethnicity", "text", "汉族"),
    ("出生日期", "birth_date", "date", "1985-03-12"),
    ("身份证号", "id_number", "text", "330203198503120016"),
    ("手机号", "phone", "text", "13800138000"),
    ("学历", "education", "education", "大学本科"),
    ("工作单位", "unit", "unit", "市财政局"),
    ("职务/职级", "job_title", "text", "科员"),
    ("干部层级", "cadre_level", "cadre_level", "乡科级及以下（含一级主任科员及以下）"),
    ("所在党组织", "org", "org", "（填写组织全称或组织编号）"),
    ("人员类别", "status", "status", "正式党员"),
    ("申请入党日期", "applied_at", "date", "2006-09-01"),
    ("确定积极分子日期", "activist_at", "date", "2007-03-01"),
    ("确定发展对象日期", "candidate_at", "date", "2008-03-01"),
    ("入党日期", "joined_at", "date", "2008-07-01"),
    ("转正日期", "full_at", "date", "2009-07-01"),
    ("离退休", "is_retired", "bool", "否"),
    ("流动党员", "is_mobile", "bool", "否"),
]
REQUIRED = {"name", "gender", "birth_date", "id_number", "org", "status"}
# Reading stops after this many blank rows in a row: a sheet whose dimension claims a
# million (formatted but empty) rows costs no more than its data.
BLANK_RUN_STOP = 100
# Columns read at most (the template has len(COLUMNS)); cells further right are ignored.
MAX_COLUMNS = 64
FORMULA_START = ("=", "+", "-", "@")


TEMPLATE_FILENAME = "党员信息导入模板.xlsx"


def template_disposition() -> str:
    """The Content-Disposition of the template download: a Chinese file name."""
    return "attachment; filename*=UTF-8''" + quote(TEMPLATE_FILENAME)


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "党员信息"
    sheet.append([c[0] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([c[3] for c in COLUMNS])
    for i, _ in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = 16
    notes = book.create_sheet("填写说明")
    notes.append(["列", "说明"])
    notes.append(["必填", "姓名、性别、出生日期、身份证号、所在党组织、人员类别"])
    notes.append(["性别", "男 / 女"])
    notes.append(["人员类别", " / ".join(Member.Status.labels)])
    notes.append(["学历", " / ".join(Member.Education.labels)])
    notes.append(
        ["干部层级", " / ".join(Member.CadreLevel.labels) + "（可简写为 乡科级 / 县处级，可空）"]
    )
    notes.append(["日期", "YYYY-MM-DD，例如 2008-07-01"])
    notes.append(["所在党组织", "党支部全称，或组织编号（数字）；须在您的管理范围内"])
    notes.append(["工作单位", "须为平台中已有的单位名称；新单位由机关工委或平台管理员建立"])
    notes.append(["导入规则", "任何一行有错则整批不导入，并列出每一处错误；示例行（第2行）请删除"])
    notes.append(
        [
            "行数",
            f"一次最多导入 {settings.IMPORT_MAX_ROWS} 行；"
            f"连续 {BLANK_RUN_STOP} 行空行之后的内容不再读取",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError("日期格式应为 YYYY-MM-DD")


def _reader(kind: str, orgs: dict, units: dict, may_create_units: bool):
    labels = {
        "gender": {"男": "male", "女": "female"},
        "status": {label: value for value, label in Member.Status.choices},
        "education": {label: value for value, label in Member.Education.choices},
        "cadre_level": {
            **{label: value for value, label in Member.CadreLevel.choices},
            "乡科级": "section",
            "县处级": "county",
            "": "",
        },
        "bool": {"是": True, "否": False, "": False},
    }

    def read(value):
        if kind == "date":
            return _parse_date(value)
        if kind in labels:
            text = str(value).strip()
            if text not in labels[kind]:
                raise ValueError("应为：" + " / ".join(k for k in labels[kind] if k))
            return labels[kind][text]
        if kind == "org":
            text = str(value).strip()
            key = int(text) if text.isdigit() else text
            found = orgs.get(key)
            if found is None:
                raise ValueError(f"找不到党组织“{text}”，或不在您的管理范围内")
            if found == "ambiguous":
                raise ValueError(f"有多个名为“{text}”的党组织，请改填组织编号")
            return found
        if kind == "unit":
            text = str(value).strip()
            if text in units:
                return units[text]
            if not may_create_units:
                raise ValueError(
                    f"平台中没有工作单位“{text}”，请填写已有单位的全称"
                    "（新单位由机关工委或平台管理员建立）"
                )
            if text.startswith(FORMULA_START):
                raise ValueError("单位名称不能以 =、+、-、@ 开头")
            if len(text) > Unit._meta.get_field("name").max_length:
                raise ValueError("单位名称过长")
            return text  # created with the import, see member_import
        if kind == "text":
            return str(int(value) if isinstance(value, float) else value).strip()
        return value

    return read


def _blank(row) -> bool:
    return all(v is None or str(v).strip() == "" for v in row)


NOT_XLSX = "文件不是有效的 Excel (.xlsx) 文件（可能已损坏或不完整），请使用导入模板"
# What openpyxl raises on a damaged file: a bad zip, a missing part, XML cut short (ParseError
# is a SyntaxError), a truncated deflate stream (zlib.error), odd cell values.
BROKEN_FILE = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    IndexError,
    EOFError,
    SyntaxError,
    zlib.error,
)


def _rows(data: bytes):
    """The header and an iterator of (row number, values) over the data rows.

    The sheet is streamed (read-only mode), at most MAX_COLUMNS wide; the rows stop after
    BLANK_RUN_STOP blank rows in a row, and more than IMPORT_MAX_ROWS data rows are refused
    as soon as the row past the limit is reached."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
    except BROKEN_FILE:
        raise DomainError(NOT_XLSX)
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()
    missing = [c[0] for c in COLUMNS if c[1] in REQUIRED and c[0] not in header]
    if missing:
        raise DomainError(f"表头缺少必填列：{'、'.join(missing)}，请使用导入模板")
    limit = settings.IMPORT_MAX_ROWS

    def cells():
        # openpyxl parses the sheet while it is iterated: a sheet whose XML is cut short
        # fails here, not in load_workbook.
        try:
            yield from sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
        except BROKEN_FILE:
            raise DomainError(NOT_XLSX)

    def rows():
        blanks = data_rows = 0
        for row_number, row in enumerate(cells(), start=2):
            if row is None or _blank(row):
                blanks += 1
                if blanks >= BLANK_RUN_STOP:
                    return
                continue
            blanks = 0
            data_rows += 1
            if data_rows > limit:
                raise DomainError(
                    f"文件中的数据超过 {limit} 行（第 {row_number} 行起超出），未导入任何数据。"
                    f"一次最多导入 {limit} 行，请拆分为多个文件分批导入。"
                )
            yield row_number, row

    return header, rows()


def member_import(*, actor, data: bytes) -> list[Member]:
    header, rows = _rows(data)
    index = {h: i for i, h in enumerate(header) if h}
    visible = Org.objects.manageable_by(actor).active().exclude(kind=Org.Kind.GROUP)
    orgs: dict = {}
    for org in visible.only("id", "name", "path", "kind", "dissolved_on", "depth"):
        orgs[org.pk] = org
        orgs[org.name] = "ambiguous" if org.name in orgs else org
    units = {u.name: u for u in Unit.objects.all()}
    creates_units = may_create_units(actor)
    read = {kind: _reader(kind, orgs, units, creates_units) for _, _, kind, _ in COLUMNS}
    errors: list[dict] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for row_number, row in rows:
        record: dict = {}
        row_errors: list[dict] = []
        for title, field, kind, _ in COLUMNS:
            if title not in index:
                continue
            value = row[index[title]] if index[title] < len(row) else None
            if value is None or str(value).strip() == "":
                if field in REQUIRED:
                    row_errors.append(
                        {
                            "row": row_number,
                            "column": title,
                            "field": field,
                            "message": f"{title}不能为空",
                        }
                    )
                continue
            try:
                record[field] = read[kind](value)
            except ValueError as exc:
                row_errors.append(
                    {"row": row_number, "column": title, "field": field, "message": str(exc)}
                )
        if not row_errors:
            try:
                services.member_validate(dict(record))
            except DomainError as exc:
                titles = {c[1]: c[0] for c in COLUMNS}
                row_errors += [
                    {
                        "row": row_number,
                        "column": titles.get(e["field"], e["field"]),
                        "field": e["field"],
                        "message": e["message"],
                    }
                    for e in exc.errors
                ]
        number = normalize(str(record.get("id_number", "")))
        if number and not any(e["field"] == "id_number" for e in row_errors):
            if number in seen:
                row_errors.append(
                    {
                        "row": row_number,
                        "column": "身份证号",
                        "field": "id_number",
                        "message": f"与第 {seen[number]} 行的身份证号重复",
                    }
                )
            seen.setdefault(number, row_number)
        errors += row_errors
        if not row_errors:
            parsed.append((row_number, record))
    if seen:
        hashes = {crypto.lookup_hash(n): (n, r) for n, r in seen.items()}
        for h in Member.objects.filter(id_number_hash__in=list(hashes)).values_list(
            "id_number_hash", flat=True
        ):
            errors.append(
                {
                    "row": hashes[h][1],
                    "column": "身份证号",
                    "field": "id_number",
                    "message": "重复：该身份证号已在党员信息库中，未重复导入",
                }
            )
    if errors:
        errors.sort(key=lambda e: e["row"])
        raise DomainError(
            f"导入失败：共 {len(errors)} 处错误，涉及 {len({e['row'] for e in errors})} 行，"
            "未导入任何数据。请修改后重新导入。",
            errors=errors,
        )
    if not parsed:
        raise DomainError("文件中没有数据行")
    created = []
    with transaction.atomic():
        for _, record in parsed:
            if isinstance(record.get("unit"), str):
                name = record["unit"]
                if name not in units:
                    units[name] = unit_create(actor=actor, name=name)
                record["unit"] = units[name]
            created.append(services.member_create(actor=actor, reason="批量导入", **record))
        audit(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            verb="批量导入党员",
            changes={"rows": len(created)},
            org_path=_common_prefix([m.org.path for m in created]),
        )
    return created


def may_create_units(user) -> bool:
    """Units (工作单位) are shared by the whole platform, so an import may create one only
    for the platform admin or a holder of a position in the 机关工委 (the root org); a
    secretary's import names existing units."""
    reach = reach_of(user)
    if reach.everything:
        return True
    return Org.objects.filter(path__in=reach.paths, kind=Org.Kind.WORK_COMMITTEE).exists()


def _common_prefix(paths: list[str]) -> str:
    """The deepest org path that contains all ``paths`` (for filing the audit entry)."""
    common = os.path.commonpath(paths) if paths else ""
    return common + "/" if common else ""
