"""Loading the shipped standards library from TOML files, idempotently.

Files: ``standards/data/*.toml`` and every app's ``<app>/standards.toml``. Each file has
``[[standard]]`` tables (with ``[[standard.article]]``) and ``[[rule]]`` tables.

Reloading after an upgrade: a rule whose shipped text changed gets a new version
(nothing is overwritten); a rule whose newest version was edited locally is left alone
and reported, so a local decision is never undone by an upgrade.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction

from dangjian.standards.models import Article, Rule, Standard
from dangjian.standards.registry import CHECKERS, validate_params

log = logging.getLogger(__name__)
DATA_DIR = Path(__file__).parent / "data"
STANDARD_FIELDS = [
    "title",
    "short_name",
    "issuer",
    "document_number",
    "category",
    "effective_on",
    "version",
    "status",
    "summary",
]


@dataclass
class LoadReport:
    standards_created: int = 0
    rules_created: int = 0
    versions_added: int = 0
    unchanged: int = 0
    skipped_local: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"标准新增 {self.standards_created}，规则新增 {self.rules_created}，"
            f"新版本 {self.versions_added}，未变 {self.unchanged}"
        )
        if self.skipped_local:
            text += f"；本地修改保留未覆盖：{', '.join(self.skipped_local)}"
        return text


def library_files() -> list[Path]:
    files = sorted(DATA_DIR.glob("*.toml"))
    for config in apps.get_app_configs():
        if config.name.startswith("dangjian."):
            candidate = Path(config.path) / "standards.toml"
            if candidate.exists():
                files.append(candidate)
    return files


def read_library() -> tuple[list[dict], list[dict]]:
    standards, rules = [], []
    for path in library_files():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        standards += data.get("standard", [])
        rules += [{**r, "_file": path.name} for r in data.get("rule", [])]
    return standards, rules


def _digest(entry: dict) -> str:
    clean = {k: v for k, v in entry.items() if not k.startswith("_")}
    return hashlib.sha256(json.dumps(clean, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def load_library() -> LoadReport:
    report = LoadReport()
    standards, rules = read_library()
    by_code: dict[str, Standard] = {}
    for entry in standards:
        values = {k: entry[k] for k in STANDARD_FIELDS if k in entry}
        obj, created = Standard.objects.update_or_create(code=entry["code"], defaults=values)
        report.standards_created += created
        by_code[obj.code] = obj
        for i, art in enumerate(entry.get("article", [])):
            Article.objects.update_or_create(
                standard=obj,
                number=art["number"],
                defaults={"text": art.get("text", ""), "sort": art.get("sort", i)},
            )
    for code in {r["standard"] for r in rules} - set(by_code):
        found = Standard.objects.filter(code=code).first()
        if found is None:
            raise ValueError(f"规则引用了不存在的标准 {code}")
        by_code[code] = found
    existing: dict[str, list[Rule]] = {}
    for rule in Rule.objects.filter(code__in=[r["code"] for r in rules]).order_by("version"):
        existing.setdefault(rule.code, []).append(rule)
    for entry in rules:
        digest = _digest(entry)
        versions = existing.get(entry["code"], [])
        if any(v.source_digest == digest for v in versions):
            report.unchanged += 1
            continue
        if versions and versions[-1].is_local_edit:
            report.skipped_local.append(entry["code"])
            continue
        params = entry.get("params", {})
        checker = entry.get("checker", "")
        if checker and checker in CHECKERS:
            params = validate_params(checker, params)
        elif checker:
            log.warning("rule %s names checker %s, which no app registers", entry["code"], checker)
        effective_from = entry.get("effective_from") or dt.date(2000, 1, 1)
        new = Rule.objects.create(
            code=entry["code"],
            version=(versions[-1].version + 1) if versions else 1,
            title=entry["title"],
            standard=by_code[entry["standard"]],
            article=entry.get("article", ""),
            verification=entry.get("verification", "V"),
            checker=checker,
            params=params,
            applies_to=entry.get("applies_to", {}),
            severity=entry.get("severity", Rule.Severity.VIOLATION),
            effective_from=effective_from,
            enabled=entry.get("enabled", True),
            description=entry.get("description", ""),
            change_reason="随版本升级更新" if versions else "",
            source_digest=digest,
        )
        if versions:
            report.versions_added += 1
            previous = versions[-1]
            if previous.effective_to is None and new.effective_from > previous.effective_from:
                previous.effective_to = new.effective_from
                previous.save(update_fields=["effective_to", "updated_at"])
        else:
            report.rules_created += 1
        existing.setdefault(new.code, []).append(new)
    return report
