"""党内统计 exports: the tables as .xlsx in the layout of the national annual forms (one sheet
per table), and the list behind a cell (through ``core.exporters``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dangjian.core.exporters import Exporter, Sheet, xlsx_book
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.statistics.categories import (
    CHANGES,
    DECREASES,
    INCREASES,
    MEMBER_FIGURES,
    ORG_KINDS,
    education_labels,
    groupings,
)


def tables_xlsx(figures: dict, year: int) -> bytes:
    """The annual tables: 党员基本情况, 年龄, 学历与职业, 党员增减, 党组织, 校核."""
    g = groupings()
    m, s, c = figures["members"], figures["start"], figures["changes"]
    head = f"{figures['org_name']}  {year}年  统计截止日期：{figures['as_of']}"
    sheets = [
        Sheet(
            "党员基本情况",
            [head],
            ["项目", "人数"],
            [(MEMBER_FIGURES[k], m[k]) for k in MEMBER_FIGURES],
        ),
        Sheet(
            "党员年龄",
            [head],
            ["合计", *[b.label for b in g.age_bands]],
            [(m["total"], *[m["age_bands"][b.key] for b in g.age_bands])],
        ),
        Sheet(
            "党员学历",
            [head],
            ["合计", *education_labels().values()],
            [(m["total"], *[m["education"][k] for k in education_labels()])],
        ),
        Sheet(
            "党员职业",
            [head, g.sources["occupation"]],
            ["合计", *[b.label for b in g.occupation]],
            [(m["total"], *[m["occupation"][b.key] for b in g.occupation])],
        ),
        Sheet(
            "党员增减",
            [head],
            [
                "年初党员数",
                *[f"增加：{v}" for v in INCREASES.values()],
                "增加合计",
                *[f"减少：{v}" for v in DECREASES.values()],
                "减少合计",
                "年末党员数",
                CHANGES["made_full"],
            ],
            [
                (
                    s["total"],
                    *[c[k] for k in INCREASES],
                    c["increase"],
                    *[c[k] for k in DECREASES],
                    c["decrease"],
                    m["total"],
                    c["made_full"],
                )
            ],
        ),
        Sheet(
            "党组织",
            [head],
            list(ORG_KINDS.values()),
            [tuple(figures["orgs"][k] for k in ORG_KINDS)],
        ),
        Sheet(
            "下级组织",
            [head],
            ["党组织", "类型", "党员数"],
            [
                *[
                    (ch["name"], Org.Kind(ch["kind"]).label, ch["total"])
                    for ch in figures["children"]
                ],
                (f"{figures['org_name']}（直属）", "", figures["direct"]),
            ],
        ),
        Sheet(
            "校核",
            [head],
            ["校核项目", "算式", "结果"],
            [
                (ck["title"], ck["formula"], "通过" if ck["passed"] else "不通过")
                for ck in figures["checks"]
            ],
        ),
    ]
    return xlsx_book(sheets)


class CellMembersExporter(Exporter):
    headers = (
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "学历",
        "人员类别",
        "所在党组织",
        "入党日期",
        "转正日期",
    )

    def __init__(self, title: str, members: Iterable[Member]):
        self.title = title
        self.members = members

    def rows(self) -> Iterable[Sequence]:
        for m in self.members:
            yield (
                m.name,
                m.get_gender_display(),
                m.ethnicity,
                m.birth_date,
                m.get_education_display() or "未填写",
                m.get_status_display(),
                m.org.name,
                m.joined_at,
                m.full_at,
            )


class CellOrgsExporter(Exporter):
    headers = ("党组织", "类型", "上级组织", "成立日期")

    def __init__(self, title: str, orgs: Iterable[Org]):
        self.title = title
        self.orgs = orgs

    def rows(self) -> Iterable[Sequence]:
        for o in self.orgs:
            yield (
                o.name,
                o.get_kind_display(),
                o.parent.name if o.parent else "",
                o.established_on,
            )
