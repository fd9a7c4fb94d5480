"""The yearly register of organizational life (台账): rows for .xlsx / .csv, context for PDF."""

from __future__ import annotations

from django.utils import timezone

from dangjian.core.audit import audit
from dangjian.core.exporters import Exporter
from dangjian.core.models import AuditEntry
from dangjian.meetings import selectors
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Org


def _name(member) -> str:
    return member.name if member is not None else ""


class RegisterExporter(Exporter):
    title = "组织生活台账"
    headers = (
        "序号",
        "类型",
        "主题",
        "召开时间",
        "地点",
        "党小组",
        "主持人",
        "记录人",
        "授课人/谈话对象",
        "应到",
        "实到",
        "请假",
        "缺席",
        "已补学",
        "决议事项",
        "会议记录",
        "补录",
    )

    def __init__(self, meetings: list[Meeting]):
        self.meetings = meetings

    def rows(self):
        for i, m in enumerate(self.meetings, 1):
            yield (
                i,
                m.get_kind_display(),
                m.topic,
                # A real date cell in Beijing time (openpyxl takes naive datetimes only).
                timezone.localtime(m.held_at).replace(tzinfo=None, second=0, microsecond=0),
                m.place,
                m.group.name if m.group else "",
                _name(m.host),
                _name(m.recorder),
                _name(m.lecturer) or _name(m.counterpart),
                m.n_total,
                m.n_present,
                m.n_leave,
                m.n_absent,
                m.n_made_up,
                m.resolutions,
                m.minutes_text,
                "是" if m.backfilled else "",
            )


def register_context(*, org: Org, year: int) -> dict:
    meetings = selectors.register_rows(org=org, year=year)
    counts: dict[str, int] = {}
    for m in meetings:
        counts[m.get_kind_display()] = counts.get(m.get_kind_display(), 0) + 1
    return {"org": org, "year": year, "meetings": meetings, "counts": counts}


def _audit_export(request, org: Org, year: int, fmt: str) -> None:
    audit(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        org=org,
        verb=f"导出组织生活台账（{fmt}）",
        changes={"year": year},
    )


def register_response(request, *, org: Org, year: int, fmt: str = "xlsx"):
    meetings = selectors.register_rows(org=org, year=year)
    _audit_export(request, org, year, fmt)
    return RegisterExporter(meetings).response(f"{org.name}-{year}-组织生活台账", fmt)


def register_pdf(request, *, org: Org, year: int):
    from dangjian.core.pdf import pdf_response

    _audit_export(request, org, year, "pdf")
    return pdf_response(
        "meetings/register_pdf.html",
        register_context(org=org, year=year) | {"printed_at": timezone.localtime()},
        request=request,
        filename=f"{org.name}-{year}-组织生活台账",
    )
