"""The groupings of the 党内统计 tables (``tables.toml``) and the labels of every cell."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dangjian.members.models import Member
from dangjian.orgs.models import Org

TABLES_FILE = Path(__file__).with_name("tables.toml")


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    max: int | None = None


@dataclass(frozen=True)
class Reason:
    key: str
    label: str
    words: tuple[str, ...]

    def matches(self, text: str) -> bool:
        return any(w in text for w in self.words)


@dataclass(frozen=True)
class Groupings:
    sources: dict[str, str]
    age_bands: tuple[Band, ...]
    occupation: tuple[Band, ...]
    leave_reasons: tuple[Reason, ...]
    create_reasons: tuple[Reason, ...]

    def age_band(self, age: int) -> str:
        for band in self.age_bands:
            if band.max is None or age <= band.max:
                return band.key
        return self.age_bands[-1].key

    def leave_kind(self, reason: str) -> str:
        return _first_match(self.leave_reasons, reason) or "other_out"

    def create_kind(self, reason: str) -> str | None:
        return _first_match(self.create_reasons, reason)


@functools.lru_cache(maxsize=4096)
def _first_match(reasons: tuple[Reason, ...], text: str) -> str | None:
    """The first reason whose words occur in ``text`` (cached: a city's history repeats a few
    hundred reasons over tens of thousands of entries)."""
    return next((r.key for r in reasons if r.matches(text)), None)


@functools.cache
def groupings() -> Groupings:
    data = tomllib.loads(TABLES_FILE.read_text(encoding="utf-8"))
    return Groupings(
        sources=data["sources"],
        age_bands=tuple(Band(**b) for b in data["age_bands"]),
        occupation=tuple(Band(**b) for b in data["occupation"]),
        leave_reasons=tuple(
            Reason(r["key"], r["label"], tuple(r["words"])) for r in data["leave_reasons"]
        ),
        create_reasons=tuple(
            Reason(r["key"], r["label"], tuple(r["words"])) for r in data["create_reasons"]
        ),
    )


UNKNOWN = "unknown"
PARTY = frozenset({Member.Status.FULL, Member.Status.PROBATIONARY})

# Changes over the year: increases, then decreases (the order of the national table).
INCREASES: dict[str, str] = {
    "developed": "发展党员",
    "transferred_in": "转入",
    "restored": "恢复党籍",
    "other_in": "其他增加",
}
DECREASES: dict[str, str] = {
    "transferred_out": "转出",
    "died": "死亡",
    "removed": "出党",
    "cancelled": "取消预备党员资格",
    "other_out": "其他减少",
}
CHANGES: dict[str, str] = {
    **INCREASES,
    **DECREASES,
    "made_full": "预备党员转为正式党员",
    "increase": "增加合计",
    "decrease": "减少合计",
}
MEMBER_FIGURES: dict[str, str] = {
    "total": "党员总数",
    "full": "正式党员",
    "probationary": "预备党员",
    "female": "女党员",
    "male": "男党员",
    "han": "汉族党员",
    "minority": "少数民族党员",
}
START_FIGURES: dict[str, str] = {
    "total": "年初党员总数",
    "full": "年初正式党员",
    "probationary": "年初预备党员",
}
ORG_KINDS: dict[str, str] = {"total": "党组织合计", **dict(Org.Kind.choices)}


def education_labels() -> dict[str, str]:
    return {**dict(Member.Education.choices), UNKNOWN: "未填写"}


def section_labels(section: str) -> dict[str, str]:
    """Key → label for every cell of one section of the figures."""
    g = groupings()
    return {
        "members": MEMBER_FIGURES,
        "age_bands": {b.key: b.label for b in g.age_bands},
        "education": education_labels(),
        "occupation": {b.key: b.label for b in g.occupation},
        "start": START_FIGURES,
        "changes": CHANGES,
        "orgs": ORG_KINDS,
    }[section]


def cell_label(cell: str, children: dict[str, str] | None = None) -> str:
    """The label of a cell key such as ``members.full`` or ``members.age_bands.31-35``."""
    parts = cell.split(".")
    if parts[0] == "members" and len(parts) == 3:
        return section_labels(parts[1]).get(parts[2], "")
    if parts[0] == "children" and len(parts) == 2:
        return (children or {}).get(parts[1], "下级组织")
    if parts[0] == "checks":
        return "变动记录与党员档案不一致的党员"
    if len(parts) == 2 and parts[0] in {"members", "start", "changes", "orgs"}:
        return section_labels(parts[0]).get(parts[1], "")
    return ""
