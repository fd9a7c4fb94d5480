"""Changes to assessment schemes: design (create, indicators), publish, revise, close (freeze
the automatic values), and manual scores with their review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from dangjian.assessment.schemes.common import AUTOMATIC, CENT, targets
from dangjian.assessment.schemes.models import Indicator, Scheme, Score
from dangjian.assessment.schemes.results import scheme_results
from dangjian.core import metrics
from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.core.scope import reach_of
from dangjian.orgs.models import Org
from dangjian.standards.selectors import rule_in_force

M = Indicator.Method
LIMIT = Decimal("1000000")  # the largest count or step bound a mapping may name


# ---- ANT-2: subjects never scored ---------------------------------------------------------


def refused_subject(*, metric: str, title: str, on: dt.date) -> str:
    """The refused subject an indicator is based on (ANT-2, from the library), or ''."""
    params = rule_in_force("ANT-2", on).params or {}
    key = (metric or "").strip().lower()
    if key and key in [m.lower() for m in params.get("refused_metrics", [])]:
        return key
    name = key.partition(":")[2]
    for word in params.get("refused_words", []):
        w = str(word).lower()
        if (name and w in name) or (w and w in (title or "").lower()):
            return str(word)
    return ""


def _ant2_message(title: str, on: dt.date) -> str:
    rule = rule_in_force("ANT-2", on)
    citation = f"《{rule.standard.short_name}》{rule.article}" if rule.standard_id else ""
    return (
        f"指标“{title}”以个人学习时长、积分、点赞、投票、转发或在线时长为依据："
        f"{citation}规定{rule.title}（ANT-2），不能设置该指标；请改用会议、党费、整改等工作实绩"
    )


# ---- indicators ---------------------------------------------------------------------------


def _decimal(value, field: str, label: str, errors: list, *, minimum=Decimal("0")):
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors.append({"field": field, "message": f"{label}须为数字"})
        return None
    if not d.is_finite() or d <= minimum or d > Decimal("10000"):
        errors.append({"field": field, "message": f"{label}须大于{minimum}且不超过10000"})
        return None
    return d.quantize(CENT)


def _mapping(raw, unit: str, field: str, errors: list) -> dict:
    """``{"kind": "linear"}`` (max × rate; a count needs ``full``) or ``{"kind": "steps",
    "steps": [{"min": 0.9, "ratio": 1}, ...]}`` (the first step reached gives its ratio)."""
    raw = dict(raw or {})
    kind = raw.get("kind") or "linear"
    if kind == "linear":
        if unit == "count":
            try:
                full = Decimal(str(raw.get("full")))
                assert 0 < full <= LIMIT
            except (InvalidOperation, ValueError, TypeError, AssertionError):
                errors.append(
                    {
                        "field": field,
                        "message": "计数类指标须给出满分对应的数量"
                        "（mapping.full，大于0且不超过1000000）",
                    }
                )
                return {}
            return {"kind": "linear", "full": str(full)}
        return {"kind": "linear"}
    if kind == "steps":
        steps = []
        try:
            for s in raw.get("steps") or []:
                lo, ratio = Decimal(str(s["min"])), Decimal(str(s["ratio"]))
                if not (0 <= ratio <= 1) or not (0 <= lo <= LIMIT):
                    raise ValueError
                steps.append({"min": str(lo), "ratio": str(ratio)})
        except (InvalidOperation, ValueError, TypeError, KeyError):
            steps = []
        if not steps:
            errors.append(
                {
                    "field": field,
                    "message": "分档换算须列出各档 {min: 下限, ratio: 得分比例（0–1）}",
                }
            )
            return {}
        steps.sort(key=lambda s: Decimal(s["min"]), reverse=True)
        return {"kind": "steps", "steps": steps}
    errors.append({"field": field, "message": "取值换算只能是 linear（按比例）或 steps（分档）"})
    return {}


def _clean_indicators(rows: list[dict], *, on: dt.date) -> list[dict]:
    """Validate every indicator (collecting every problem); ANT-2 first."""
    errors: list[dict] = []
    clean: list[dict] = []
    codes: set[str] = set()
    ant2: DomainError | None = None
    if not rows:
        raise DomainError("请至少设置一项考核指标", field="indicators")
    for i, row in enumerate(rows):
        at = f"indicators[{i}]"
        code = str(row.get("code") or "").strip()
        title = str(row.get("title") or "").strip()
        method = str(row.get("method") or "").strip()
        metric_key = str(row.get("metric") or "").strip()
        subject = refused_subject(metric=metric_key, title=title, on=on)
        if subject and ant2 is None:
            ant2 = DomainError(
                _ant2_message(title or metric_key, on),
                field=f"{at}.metric" if metric_key else f"{at}.title",
                rule="ANT-2",
            )
        if not code or len(code) > 20:
            errors.append({"field": f"{at}.code", "message": "请填写指标编号（最多20字）"})
        elif code in codes:
            errors.append({"field": f"{at}.code", "message": f"指标编号 {code} 重复"})
        codes.add(code)
        if not title or len(title) > 200:
            errors.append({"field": f"{at}.title", "message": "请填写指标名称（最多200字）"})
        if method not in M.values:
            allowed = "、".join(f"{label}（{value}）" for value, label in M.choices)
            errors.append({"field": f"{at}.method", "message": f"评分方式只能是：{allowed}"})
        max_score = _decimal(row.get("max_score"), f"{at}.max_score", "满分", errors)
        weight = _decimal(row.get("weight") or 1, f"{at}.weight", "权重", errors)
        found = None
        mapping: dict = {}
        if method in AUTOMATIC:
            found = metrics.resolve(metric_key) if metric_key else None
            if not metric_key:
                errors.append({"field": f"{at}.metric", "message": "自动指标须选择平台指标"})
            elif found is None and not subject:
                errors.append(
                    {
                        "field": f"{at}.metric",
                        "message": f"平台没有名为 {metric_key} 的指标，请从指标列表中选择",
                    }
                )
            if found is not None:
                mapping = _mapping(row.get("mapping"), found.unit, f"{at}.mapping", errors)
        elif metric_key and method in M.values and not subject:
            errors.append(
                {"field": f"{at}.metric", "message": "只有自动或问卷指标可以选择平台指标"}
            )
        parent = str(row.get("parent") or "").strip()
        if parent and parent not in codes:
            errors.append(
                {"field": f"{at}.parent", "message": f"上级指标 {parent} 须列在本指标之前"}
            )
        clean.append(
            {
                "code": code,
                "title": title,
                "method": method,
                "metric": metric_key if method in AUTOMATIC else "",
                "max_score": max_score,
                "weight": weight,
                "mapping": mapping,
                "criteria": str(row.get("criteria") or "").strip(),
                "scoring_org": row.get("scoring_org"),
                "parent": parent,
                "sort": i,
            }
        )
    if ant2 is not None:
        raise ant2
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    return clean


def _write_indicators(scheme: Scheme, rows: list[dict]) -> list[Indicator]:
    made: dict[str, Indicator] = {}
    for row in rows:
        parent = made.get(row.pop("parent") or "")
        made[row["code"]] = Indicator.objects.create(scheme=scheme, parent=parent, **row)
    return list(made.values())


# ---- schemes ------------------------------------------------------------------------------


def default_bands(on: dt.date) -> list[dict]:
    """The grade bands a new scheme starts from (ASM-1 in the library)."""
    return list(rule_in_force("ASM-1", on).params.get("bands") or [])


@transaction.atomic
def scheme_create(
    *,
    actor,
    org: Org,
    title: str,
    year: int,
    target_kind: str,
    indicators: list[dict] | None,
    description: str = "",
) -> Scheme:
    """A draft scheme with its indicator tree (rows in order; a row's ``parent`` names an
    earlier row's code; ``None``: an empty draft for the designer). One scheme per
    assessing org, year and kind of target: a change after publishing is a new version
    (``scheme_revise``)."""
    errors = []
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors.append({"field": "title", "message": "请填写方案名称（最多200字）"})
    today = timezone.localdate()
    if not isinstance(year, int) or not (2000 <= year <= today.year + 1):
        errors.append({"field": "year", "message": f"考核年度须在2000至{today.year + 1}之间"})
    if target_kind not in Scheme.TargetKind.values:
        allowed = "、".join(f"{label}（{v}）" for v, label in Scheme.TargetKind.choices)
        errors.append({"field": "target_kind", "message": f"考核对象只能是：{allowed}"})
    if org.kind in (Org.Kind.BRANCH, Org.Kind.GROUP) and target_kind != "branch":
        errors.append(
            {"field": "target_kind", "message": "党支部只能考核本支部（考核对象选党支部）"}
        )
    if org.kind == Org.Kind.GROUP:
        errors.append({"field": "org", "message": "党小组不能制定考核方案"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    # None: an empty draft that the designer fills (publishing needs an indicator).
    rows = _clean_indicators(indicators, on=today) if indicators is not None else []
    existing = Scheme.objects.filter(org=org, year=year, target_kind=target_kind).first()
    if existing is not None:
        raise Conflict(
            f"{org.name}{year}年已有考核{Scheme.TargetKind(target_kind).label}的方案"
            f"“{existing.title}”，请在原方案上修订",
            field="year",
        )
    scheme = Scheme.objects.create(
        org=org,
        title=title,
        year=year,
        target_kind=target_kind,
        bands=default_bands(today),
        description=(description or "").strip(),
        created_by=actor_user(actor),
    )
    made = _write_indicators(scheme, rows)
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=scheme,
        verb="制定考核方案",
        changes={"title": title, "year": year, "indicators": [i.code for i in made]},
    )
    return scheme


def _require_draft(scheme: Scheme) -> None:
    if not scheme.is_editable:
        raise Conflict("方案已发布，不能直接修改；请先修订出新版本")


@transaction.atomic
def indicator_add(*, actor, scheme: Scheme, **row) -> Indicator:
    """Add one indicator to a draft scheme (the designer); ``parent`` names a heading."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _require_draft(scheme)
    parent_code = str(row.pop("parent", "") or "").strip()
    try:
        new = _clean_indicators([row], on=timezone.localdate())[0]
    except DomainError as exc:  # the designer's fields are named without the list index
        for e in exc.errors:
            e["field"] = (e.get("field") or "").removeprefix("indicators[0].")
        exc.field = (exc.field or "").removeprefix("indicators[0].") or None
        raise
    new.pop("parent")
    if scheme.indicators.filter(code=new["code"]).exists():
        raise DomainError(f"指标编号 {new['code']} 已存在", field="code")
    parent = None
    if parent_code:
        parent = scheme.indicators.filter(code=parent_code).first()
        if parent is None:
            raise DomainError(f"没有编号为 {parent_code} 的上级指标", field="parent")
    new["sort"] = scheme.indicators.count()
    made = Indicator.objects.create(scheme=scheme, parent=parent, **new)
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=scheme,
        verb="增加考核指标",
        changes={"indicator": made.code, "method": made.method},
    )
    return made


@transaction.atomic
def indicator_remove(*, actor, indicator: Indicator) -> None:
    scheme = Scheme.objects.select_for_update().get(pk=indicator.scheme_id)
    _require_draft(scheme)
    code = indicator.code
    indicator.delete()
    audit(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=scheme,
        verb="删除考核指标",
        changes={"indicator": code},
    )


@transaction.atomic
def scheme_publish(*, actor, scheme: Scheme, effective_from: dt.date | None = None) -> Scheme:
    """Publish a draft from ``effective_from`` (today by default); the version it revises is
    superseded from that date."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status == Scheme.Status.PUBLISHED:
        return scheme
    _require_draft(scheme)
    on = effective_from or timezone.localdate()
    check_sensible_date(on, field="effective_from")
    if not scheme.indicators.exists():
        raise DomainError("方案还没有考核指标，不能发布", field="indicators")
    previous = scheme.previous
    if previous is not None and previous.effective_from and on <= previous.effective_from:
        raise DomainError("新版本的生效日期须晚于原版本的生效日期", field="effective_from")
    if previous is not None:
        Scheme.objects.filter(pk=previous.pk).update(
            status=Scheme.Status.SUPERSEDED, effective_to=on
        )
    scheme.status = Scheme.Status.PUBLISHED
    scheme.effective_from = on
    scheme.save(update_fields=["status", "effective_from", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=scheme,
        verb="发布考核方案",
        changes={"status": ["draft", "published"], "effective_from": on},
    )
    return scheme


@transaction.atomic
def scheme_revise(*, actor, scheme: Scheme) -> Scheme:
    """A new draft version of a published scheme, with a copy of its indicators; the scores
    already given stay with the old version."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != Scheme.Status.PUBLISHED:
        raise Conflict("只有已发布、尚未结束的方案可以修订")
    if scheme.revisions.filter(status=Scheme.Status.DRAFT).exists():
        raise Conflict("该方案已有待发布的修订版本")
    new = Scheme.objects.create(
        org=scheme.org,
        title=scheme.title,
        year=scheme.year,
        target_kind=scheme.target_kind,
        version=scheme.version + 1,
        previous=scheme,
        bands=scheme.bands,
        description=scheme.description,
        created_by=actor_user(actor),
    )
    copies: dict[int, Indicator] = {}
    for ind in scheme.indicators.order_by("sort", "id"):
        old_id, parent_id = ind.pk, ind.parent_id
        ind.pk = None
        ind.scheme = new
        ind.parent = copies.get(parent_id)
        ind.save()
        copies[old_id] = ind
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=new,
        verb="修订考核方案",
        changes={"version": [scheme.version, new.version]},
    )
    return new


@transaction.atomic
def scheme_close(*, actor, scheme: Scheme, on: dt.date | None = None) -> Scheme:
    """End the scheme: every automatic value is computed in one pass and frozen with the
    date; a value the platform lacks stays 缺项. Scores can no longer change."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_closed:
        return scheme
    if scheme.status != Scheme.Status.PUBLISHED:
        raise Conflict("只有已发布的方案可以结束考核")
    on = on or timezone.localdate()
    check_sensible_date(on, field="on")
    results = scheme_results(scheme)
    frozen = [
        Score(
            scheme=scheme,
            indicator=cell.indicator,
            org=row.org,
            status=Score.Status.AUTO,
            score=cell.score,
            value=cell.value,
            numerator=cell.numerator,
            denominator=cell.denominator,
            source_url=cell.source[:300],
            frozen_on=on,
        )
        for row in results.rows
        for cell in row.cells
        if cell.indicator.method in AUTOMATIC and cell.status == Score.Status.AUTO
    ]
    Score.objects.bulk_create(frozen, batch_size=2000)
    scheme.status = Scheme.Status.CLOSED
    scheme.closed_on = on
    scheme.save(update_fields=["status", "closed_on", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=scheme,
        verb="结束考核并冻结自动取值",
        changes={"status": ["published", "closed"], "closed_on": on, "frozen": len(frozen)},
    )
    return scheme


# ---- scores -------------------------------------------------------------------------------


def scoring_org(indicator: Indicator, scheme: Scheme) -> Org:
    return indicator.scoring_org or scheme.org


def can_score(actor, indicator: Indicator, scheme: Scheme) -> bool:
    return reach_of(actor).covers(scoring_org(indicator, scheme).path)


def can_review(actor, indicator: Indicator, scheme: Scheme) -> bool:
    reach = reach_of(actor)
    return reach.covers(scheme.org.path) or reach.covers(scoring_org(indicator, scheme).path)


@transaction.atomic
def score_record(
    *,
    actor,
    scheme: Scheme,
    indicator: Indicator,
    org: Org,
    score,
    comment: str = "",
    evidence: str = "",
) -> Score:
    """A manual score (or the points a deduction takes off) for one target. Automatic
    values come from the platform and cannot be entered by hand. Scoring again before the
    review replaces the score; after it, the score goes back for review."""
    if indicator.scheme_id != scheme.pk:
        raise DomainError("该指标不属于此方案", field="indicator")
    scheme = Scheme.objects.select_for_update(of=("self",)).select_related("org").get(pk=scheme.pk)
    if indicator.method in AUTOMATIC:
        raise DomainError(
            "自动指标的分值来自平台数据，不能手工录入或修改；如数据有误，请更正原始记录",
            field="indicator",
        )
    if indicator.children.exists():
        raise DomainError("分类指标不直接评分，请对其下的具体指标评分", field="indicator")
    if scheme.status != Scheme.Status.PUBLISHED:
        raise Conflict("方案未发布或已结束，不能评分")
    if not can_score(actor, indicator, scheme):
        raise Forbidden(f"该指标由{scoring_org(indicator, scheme).name}评分")
    if not targets(scheme).filter(pk=org.pk).exists():
        raise DomainError(f"{org.name}不是本方案的考核对象", field="org")
    errors = []
    try:
        value = Decimal(str(score)).quantize(CENT)
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        value = None
        errors.append({"field": "score", "message": "得分须为数字"})
    if value is not None and not (0 <= value <= indicator.max_score):
        what = "扣分" if indicator.method == M.DEDUCTION else "得分"
        errors.append({"field": "score", "message": f"{what}须在0到{indicator.max_score:g}分之间"})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        errors.append({"field": "comment", "message": "评分说明过长（最多2000字）"})
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    row = Score.objects.select_for_update().filter(indicator=indicator, org=org).first()
    before = None if row is None else [str(row.score), row.status]
    if row is None:
        row = Score(scheme=scheme, indicator=indicator, org=org)
    row.score = value
    row.status = Score.Status.SCORED
    row.comment = comment
    row.evidence = (evidence or "").strip()
    row.scorer = actor_user(actor)
    row.scored_at = timezone.now()
    row.reviewer = None
    row.reviewed_at = None
    row.review_note = ""
    row.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
        obj=row,
        org=org,
        verb=f"考核评分：{indicator.code} {indicator.title}",
        changes={"score": [before[0] if before else None, str(value)], "org": org.pk},
    )
    return row


@transaction.atomic
def score_review(*, actor, score: Score, note: str = "") -> Score:
    """A second person confirms a manual score: never the one who gave it."""
    row = (
        Score.objects.select_for_update(of=("self",))
        .select_related("scheme__org", "indicator")
        .get(pk=score.pk)
    )
    if row.status == Score.Status.AUTO:
        raise DomainError("自动取值来自平台数据，无需复核")
    user = actor_user(actor)
    if user is not None and row.scorer_id == user.pk:
        raise DomainError("评分人与复核人须为不同的人，请由其他同志复核", field="reviewer")
    if row.scheme.status != Scheme.Status.PUBLISHED:
        raise Conflict("方案未发布或已结束，不能复核")
    if not can_review(actor, row.indicator, row.scheme):
        raise Forbidden("只有考核组织或评分组织的管理人员可以复核")
    if row.status == Score.Status.REVIEWED:
        return row
    row.status = Score.Status.REVIEWED
    row.reviewer = user
    row.reviewed_at = timezone.now()
    row.review_note = (note or "").strip()[:300]
    row.save()
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=row,
        org=row.org,
        verb=f"复核考核评分：{row.indicator.code}",
        changes={"status": ["scored", "reviewed"]},
    )
    return row
