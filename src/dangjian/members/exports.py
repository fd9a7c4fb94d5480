"""The roster (花名册) export. Personal data: every export is audited."""

from __future__ import annotations

from dangjian.core import crypto
from dangjian.core.audit import audit
from dangjian.core.exporters import Exporter
from dangjian.core.masking import mask_phone
from dangjian.core.models import AuditEntry
from dangjian.members.services import can_reveal_id


class RosterExporter(Exporter):
    title = "党员花名册"
    headers = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "身份证号",
        "手机号",
        "学历",
        "工作单位",
        "职务/职级",
        "所在党组织",
        "人员类别",
        "入党日期",
        "转正日期",
        "党龄",
        "离退休",
        "流动党员",
    ]

    def __init__(self, members, *, full_id: bool, full_phone: bool):
        self.members = members
        self.full_id = full_id
        self.full_phone = full_phone

    def rows(self):
        for i, m in enumerate(self.members.iterator(chunk_size=2000), start=1):
            yield [
                i,
                m.name,
                m.get_gender_display(),
                m.ethnicity,
                m.birth_date,
                crypto.decrypt(m.id_number_encrypted) if self.full_id else m.id_number_masked,
                m.phone if self.full_phone else mask_phone(m.phone),
                m.get_education_display(),
                m.unit.name if m.unit else "",
                m.job_title,
                m.org.name,
                m.get_status_display(),
                m.joined_at,
                m.full_at,
                m.party_age,
                "是" if m.is_retired else "否",
                "是" if m.is_mobile else "否",
            ]


def roster_export(*, actor, org, members) -> RosterExporter:
    """The roster of ``members`` (already gated); full ID numbers only for users allowed."""
    from dangjian.members.models import Member

    full = can_reveal_id(actor, Member(org=org))
    audit(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=org,
        verb="导出党员花名册",
        changes={"rows": members.count(), "full_id_numbers": full},
    )
    return RosterExporter(members.select_related("org", "unit"), full_id=full, full_phone=full)
