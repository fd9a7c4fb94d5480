"""Excel exports of the batch lists (备案). Personal data: every export is audited."""

from __future__ import annotations

from dangjian.core.audit import audit
from dangjian.core.exporters import Exporter
from dangjian.core.models import AuditEntry


class EligibleExporter(Exporter):
    def __init__(self, title: str, rows: list, kind: str):
        self.title = title
        self.kind = kind
        self.items = rows
        if kind == "candidates":
            self.headers = ["序号", "姓名", "性别", "出生日期", "所在党组织", "确定积极分子日期",
                            "可确定为发展对象日期"]  # fmt: skip
        else:
            self.headers = ["序号", "姓名", "性别", "出生日期", "所在党组织", "入党日期（预备）",
                            "预备期满日期"]  # fmt: skip

    def rows(self):
        for i, m in enumerate(self.items, start=1):
            if self.kind == "candidates":
                since, date = m.activist_at, m.eligible_on
            else:
                since, date = m.joined_at, m.probation_end
            yield [i, m.name, m.get_gender_display(), m.birth_date, m.org.name, since, date]


def eligible_export(*, actor, org, title: str, rows: list, kind: str) -> EligibleExporter:
    audit(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=org,
        verb=f"导出名单：{title}",
        changes={"rows": len(rows), "list": kind},
        org_path=getattr(org, "path", "") if org is not None else "",
    )
    return EligibleExporter(title, rows, kind)
