"""Every change to the opinion watch: sources (admins only), keyword sets, fetching a feed
into items (deduplicated by URL and content hash per org), items entered by hand, cases
(研判) with their level, deadline, escalation, answer and closure.

The view or API operation has loaded the object through the gate; a service checks the
domain's rules and writes one audit entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_user, is_system
from dangjian.core.audit import audit
from dangjian.core.checks import checked_text
from dangjian.core.choices import choices_text
from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.scope import lineage, reach_of
from dangjian.core.services import notify
from dangjian.opinion import fetch, text
from dangjian.opinion.models import KeywordSet, Level, OpinionCase, OpinionItem, OpinionSource
from dangjian.orgs.models import Org, Position
from dangjian.standards.selectors import rule_in_force

RULE = "OPN-1"
MAX_WORDS = 100
WORD_CHARS = 20
COMMITTEE_KINDS = (Org.Kind.WORK_COMMITTEE, Org.Kind.COMMITTEE)


def may_add_sources(actor, org: Org) -> bool:
    """Sources are added by admins: the platform admin, or a manager at a committee-level
    org (机关工委, 机关党委) whose subtree holds ``org``."""
    reach = reach_of(actor)
    if reach.everything:
        return True
    held = [p for p, _ in reach.roles if org.path.startswith(p)]
    return Org.objects.filter(path__in=held, kind__in=COMMITTEE_KINDS).exists()


def may_add_any(actor) -> bool:
    """Whether the sources page offers the form: an admin of some committee-level org."""
    reach = reach_of(actor)
    if reach.everything:
        return True
    held = {p for p, _ in reach.roles}
    return Org.objects.filter(path__in=held, kind__in=COMMITTEE_KINDS).exists()


# --- sources ---------------------------------------------------------------------------


@transaction.atomic
def source_create(*, actor, org: Org, name: str, url: str) -> OpinionSource:
    if not may_add_sources(actor, org):
        raise Forbidden("舆情来源由机关工委、机关党委管理员添加，请联系上级党组织")
    name = checked_text(name, field="name", label="来源名称", limit=100)
    url = checked_text(url, field="url", label="订阅地址", limit=1000)
    fetch.check_url(url)
    if OpinionSource.objects.filter(org=org, url=url).exists():
        raise Conflict("该组织已添加此订阅地址", field="url")
    source = OpinionSource.objects.create(org=org, name=name, url=url, created_by=actor_user(actor))
    audit(
        actor=actor,
        action="create",
        obj=source,
        org=org,
        verb=f"添加舆情来源 {name}",
        changes={"url": [None, url]},
    )
    return source


@transaction.atomic
def source_set_active(*, actor, source: OpinionSource, active: bool) -> OpinionSource:
    if not may_add_sources(actor, source.org):
        raise Forbidden("舆情来源由机关工委、机关党委管理员管理")
    before = source.active
    source.active = bool(active)
    source.save(update_fields=["active", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=source,
        org=source.org,
        verb=f"{'启用' if active else '停用'}舆情来源 {source.name}",
        changes={"active": [before, source.active]},
    )
    return source


def source_fetch(*, actor, source: OpinionSource) -> dict[str, int]:
    """Download the feed (conditional request), store what is new, match and estimate it.
    ``{"fetched", "new", "matched"}``; fetching the same feed again adds nothing. A failure
    is recorded on the source and raised (``fetch.FetchError``, 422)."""
    try:
        got = fetch.download(source.url, etag=source.etag, last_modified=source.last_modified)
        entries = []
        if got.status == 200:
            try:
                entries = text.parse_feed(got.body, limit=settings.OPINION_FETCH_MAX_ENTRIES)
            except ValueError:
                raise fetch.FetchError("订阅地址返回的不是 RSS/Atom 内容") from None
    except fetch.FetchError as exc:
        _record(source, ok=False, result=exc.message)
        raise
    with transaction.atomic():
        counts = ingest(source=source, entries=entries)
        OpinionSource.objects.filter(pk=source.pk).update(
            etag=got.etag, last_modified=got.last_modified
        )
        if got.status == 304:
            result = "内容未更新"
        else:
            result = (
                f"读取 {counts['fetched']} 条，新增 {counts['new']} 条，命中 {counts['matched']} 条"
            )
        _record(source, ok=True, result=result)
        if counts["new"] or not is_system(actor):
            audit(
                actor=actor,
                action="update",
                obj=source,
                org=source.org,
                verb=f"抓取舆情来源 {source.name}：{result}",
            )
    return counts


def _record(source: OpinionSource, *, ok: bool, result: str) -> None:
    OpinionSource.objects.filter(pk=source.pk).update(
        last_fetched_at=timezone.now(),
        last_ok=ok,
        last_result=result[:300],
        updated_at=timezone.now(),
    )


def rules_for(org: Org) -> list[text.KeywordRule]:
    """The active keyword sets of ``org`` and of the orgs above it: one query."""
    return [
        text.KeywordRule.of(k.words, k.synonyms, k.exclude)
        for k in KeywordSet.objects.filter(active=True, org__path__in=lineage(org.path))
    ]


def ingest(*, source: OpinionSource, entries: list[text.Entry]) -> dict[str, int]:
    """Store the entries not yet held by the source's org (same URL or same content)."""
    org = source.org
    fresh = []
    seen_urls, seen_hashes = set(), set()
    for e in entries:
        h = text.content_hash(e.title, e.summary)
        if (e.url and e.url in seen_urls) or h in seen_hashes:
            continue
        seen_urls.add(e.url)
        seen_hashes.add(h)
        fresh.append((e, h))
    held = OpinionItem.objects.filter(org=org).filter(
        Q(url__in=[e.url for e, _ in fresh if e.url]) | Q(content_hash__in=[h for _, h in fresh])
    )
    held_urls, held_hashes = set(), set()
    for u, h in held.values_list("url", "content_hash"):
        held_urls.add(u)
        held_hashes.add(h)
    rules = rules_for(org)
    rows = []
    for e, h in fresh:
        if (e.url and e.url in held_urls) or h in held_hashes:
            continue
        rows.append(
            _item(
                org=org,
                source=source,
                title=e.title,
                summary=e.summary,
                url=e.url,
                published_at=e.published_at,
                content_hash=h,
                rules=rules,
            )
        )
    OpinionItem.objects.bulk_create(rows, ignore_conflicts=True)
    return {"fetched": len(entries), "new": len(rows), "matched": sum(r.matched for r in rows)}


def _item(*, org, rules, **values) -> OpinionItem:
    words = text.match(f"{values['title']}\n{values['summary']}", rules)
    score, label = text.sentiment(f"{values['title']}。{values['summary']}")
    return OpinionItem(
        org=org,
        matched=bool(words),
        matched_words=words,
        sentiment=score,
        sentiment_label=label,
        **values,
    )


def rematch(*, org: Org) -> int:
    """Match the org's open items again (after its keyword sets changed): one read, one
    bulk update."""
    items = list(
        OpinionItem.objects.in_subtree(org)
        .filter(status=OpinionItem.Status.NEW)
        .select_related("org")[:2000]
    )
    by_org = defaultdict(list)
    for i in items:
        by_org[i.org_id].append(i)
    sets = list(
        KeywordSet.objects.filter(active=True)
        .filter(org__path__in={p for i in items for p in lineage(i.org.path)})
        .select_related("org")
    )
    for org_items in by_org.values():
        paths = set(lineage(org_items[0].org.path))
        rules = [
            text.KeywordRule.of(k.words, k.synonyms, k.exclude) for k in sets if k.org.path in paths
        ]
        for i in org_items:
            i.matched_words = text.match(f"{i.title}\n{i.summary}", rules)
            i.matched = bool(i.matched_words)
    OpinionItem.objects.bulk_update(items, ["matched", "matched_words"])
    return len(items)


# --- keyword sets ----------------------------------------------------------------------


def _words(values, *, field: str, label: str, required: bool) -> list[str]:
    if not isinstance(values, list | tuple):
        raise DomainError(f"{label}应为词语列表", field=field)
    out = []
    for v in values:
        w = str(v).strip() if isinstance(v, str | int) else ""
        if not w:
            continue
        if len(w) > WORD_CHARS:
            raise DomainError(
                f"{label}“{w[:WORD_CHARS]}…”过长（每个词最多 {WORD_CHARS} 字）", field=field
            )
        if w not in out:
            out.append(w)
    if required and not out:
        raise DomainError(f"请至少填写 1 个{label}", field=field)
    if len(out) > MAX_WORDS:
        raise DomainError(f"{label}最多 {MAX_WORDS} 个", field=field)
    return out


def _keyword_values(name, words, synonyms, exclude) -> dict:
    words = _words(words, field="words", label="关注词", required=True)
    exclude = _words(exclude or [], field="exclude", label="排除词", required=False)
    if not isinstance(synonyms or {}, dict):
        raise DomainError("同义词应为“关注词 → 同义词列表”", field="synonyms")
    syn = {}
    for key, values in (synonyms or {}).items():
        if key not in words:
            raise DomainError(f"同义词“{key}”对应的关注词不在关注词中", field="synonyms")
        syn[key] = _words(values, field="synonyms", label="同义词", required=False)
    clash = set(exclude) & (set(words) | {s for v in syn.values() for s in v})
    if clash:
        raise DomainError(f"“{'、'.join(sorted(clash))}”不能既是关注词又是排除词", field="exclude")
    name = (name or "").strip() or "、".join(words[:3])[:100]
    return {
        "name": checked_text(name, field="name", label="名称", limit=100),
        "words": words,
        "synonyms": syn,
        "exclude": exclude,
    }


@transaction.atomic
def keyword_set_create(
    *, actor, org: Org, words, exclude=None, synonyms=None, name: str = ""
) -> KeywordSet:
    values = _keyword_values(name, words, synonyms, exclude)
    kset = KeywordSet.objects.create(org=org, created_by=actor_user(actor), **values)
    audit(
        actor=actor,
        action="create",
        obj=kset,
        org=org,
        verb=f"新建关注词组 {kset.name}",
        changes={"words": [None, values["words"]], "exclude": [None, values["exclude"]]},
    )
    rematch(org=org)
    return kset


@transaction.atomic
def keyword_set_update(
    *,
    actor,
    kset: KeywordSet,
    words,
    exclude=None,
    synonyms=None,
    name: str = "",
    active: bool = True,
) -> KeywordSet:
    values = _keyword_values(name, words, synonyms, exclude)
    before = {k: getattr(kset, k) for k in (*values, "active")}
    for k, v in values.items():
        setattr(kset, k, v)
    kset.active = bool(active)
    kset.save()
    changes = {k: [before[k], getattr(kset, k)] for k in before if before[k] != getattr(kset, k)}
    audit(
        actor=actor,
        action="update",
        obj=kset,
        org=kset.org,
        verb=f"修改关注词组 {kset.name}",
        changes=changes,
    )
    rematch(org=kset.org)
    return kset


# --- items -----------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor,
    org: Org,
    title: str,
    summary: str = "",
    channel: str = "",
    url: str = "",
    published_at: dt.datetime | None = None,
) -> OpinionItem:
    """An item seen on another channel (12345 热线, 信访, 群众来信, 微信群 …), entered by hand."""
    title = checked_text(title, field="title", label="标题", limit=500)
    summary = checked_text(summary, field="summary", label="内容摘要", limit=5000, required=False)
    channel = checked_text(channel, field="channel", label="渠道", limit=100)
    url = checked_text(url, field="url", label="原文链接", limit=1000, required=False)
    if url:
        fetch.check_url(url)
    if published_at is not None and published_at > timezone.now() + dt.timedelta(hours=1):
        raise DomainError("发布时间不能晚于现在", field="published_at")
    h = text.content_hash(title, summary)
    dup = OpinionItem.objects.filter(org=org).filter(Q(content_hash=h) | (Q(url=url) & ~Q(url="")))
    if dup.exists():
        raise Conflict("该信息已收录，无需重复录入", field="title")
    item = _item(
        org=org,
        rules=rules_for(org),
        source=None,
        channel=channel,
        title=title,
        summary=summary,
        url=url,
        published_at=published_at or timezone.now(),
        content_hash=h,
    )
    item.created_by = actor_user(actor)
    item.save()
    audit(
        actor=actor,
        action="create",
        obj=item,
        org=org,
        verb=f"录入舆情信息 {title[:40]}",
        changes={"channel": [None, channel]},
    )
    return item


@transaction.atomic
def item_dismiss(*, actor, item: OpinionItem, reason: str = "") -> OpinionItem:
    if item.status != OpinionItem.Status.NEW:
        raise Conflict("该信息已处理", field="status")
    reason = checked_text(reason, field="reason", label="说明", limit=500, required=False)
    item.status = OpinionItem.Status.DISMISSED
    item.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=item,
        org=item.org,
        verb=f"舆情信息无需处置：{item.title[:40]}{('（' + reason + '）') if reason else ''}",
        changes={"status": [OpinionItem.Status.NEW, item.status]},
    )
    return item


# --- cases -----------------------------------------------------------------------------


def deadline(level: str, opened: dt.datetime) -> dt.datetime:
    params = rule_in_force(RULE, timezone.localdate(opened)).params
    return opened + dt.timedelta(hours=int(params[f"{level}_hours"]))


def _level(level: str) -> str:
    if level not in Level.values:
        raise DomainError(f"等级应为{choices_text(Level.choices)}", field="level")
    return level


def committee_users(org: Org) -> list:
    """Users of the committee-level orgs above ``org`` (its own users if none): one query."""
    above = [p for p in lineage(org.path) if p != org.path]
    rows = (
        Position.objects.active()
        .filter(
            org__path__in=above or [org.path],
            org__kind__in=COMMITTEE_KINDS,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user")
    )
    users = []
    for p in rows:
        if p.user not in users:
            users.append(p.user)
    return users


def _escalate(case: OpinionCase) -> None:
    params = rule_in_force(RULE, timezone.localdate(case.created_at)).params
    if case.level not in (params.get("escalate_levels") or []):
        return
    users = committee_users(case.org)
    notify(
        users=users,
        title=f"{case.get_level_display()}舆情报告：{case.item.title[:40]}",
        body=f"{case.org.name}研判为{case.get_level_display()}舆情，回应时限 "
        f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M}。应对：{case.response_plan[:200]}",
        link=reverse("opinion:case", args=[case.pk]),
        dedupe_key=f"opinion-case-{case.pk}-{case.level}",
    )
    case.escalated_at = timezone.now()
    OpinionCase.objects.filter(pk=case.pk).update(escalated_at=case.escalated_at)


@transaction.atomic
def case_open(
    *,
    actor,
    item: OpinionItem,
    level: str,
    analysis: str,
    response_plan: str = "",
    responder: str = "",
) -> OpinionCase:
    """Take an item up as a case: its level fixes the reply deadline (OPN-1); a level the
    rule names is reported to the committee above at once."""
    item = OpinionItem.objects.select_for_update().select_related("org").get(pk=item.pk)
    if OpinionCase.objects.filter(item=item).exists():
        raise Conflict("该信息已立案研判", field="item")
    level = _level(level)
    values = {
        "analysis": checked_text(analysis, field="analysis", label="研判分析", limit=10000),
        "response_plan": checked_text(
            response_plan, field="response_plan", label="应对方案", limit=10000, required=False
        ),
        "responder": checked_text(
            responder, field="responder", label="回应责任人", limit=100, required=False
        ),
    }
    opened = timezone.now()
    case = OpinionCase.objects.create(
        item=item,
        org=item.org,
        level=level,
        due_at=deadline(level, opened),
        created_by=actor_user(actor),
        **values,
    )
    item.status = OpinionItem.Status.CASE
    item.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="create",
        obj=case,
        org=item.org,
        verb=f"舆情立案研判（{case.get_level_display()}）：{item.title[:40]}",
        changes={"level": [None, level], "due_at": [None, case.due_at.isoformat()]},
    )
    _escalate(case)
    return case


@transaction.atomic
def case_update(
    *,
    actor,
    case: OpinionCase,
    level: str,
    analysis: str,
    response_plan: str = "",
    responder: str = "",
) -> OpinionCase:
    if case.status == OpinionCase.Status.CLOSED:
        raise Conflict("研判已办结，不能再修改", field="status")
    level = _level(level)
    before = {k: getattr(case, k) for k in ("level", "analysis", "response_plan", "responder")}
    case.level = level
    case.analysis = checked_text(analysis, field="analysis", label="研判分析", limit=10000)
    case.response_plan = checked_text(
        response_plan, field="response_plan", label="应对方案", limit=10000, required=False
    )
    case.responder = checked_text(
        responder, field="responder", label="回应责任人", limit=100, required=False
    )
    if level != before["level"]:
        case.due_at = deadline(level, case.created_at)
    case.save()
    changes = {k: [v, getattr(case, k)] for k, v in before.items() if v != getattr(case, k)}
    audit(
        actor=actor,
        action="update",
        obj=case,
        org=case.org,
        verb=f"修改舆情研判：{case.item.title[:40]}",
        changes=changes,
    )
    if level != before["level"]:
        _escalate(case)
    return case


@transaction.atomic
def case_answer(*, actor, case: OpinionCase, answer: str) -> OpinionCase:
    if case.status != OpinionCase.Status.OPEN:
        raise Conflict("该研判已回应", field="status")
    case.answer = checked_text(answer, field="answer", label="回应情况", limit=10000)
    case.status = OpinionCase.Status.ANSWERED
    case.answered_at = timezone.now()
    case.save(update_fields=["answer", "status", "answered_at", "updated_at"])
    late = case.answered_at > case.due_at
    audit(
        actor=actor,
        action="update",
        obj=case,
        org=case.org,
        verb=f"舆情已回应{'（超过时限）' if late else ''}：{case.item.title[:40]}",
        changes={"status": [OpinionCase.Status.OPEN, case.status]},
    )
    return case


@transaction.atomic
def case_close(*, actor, case: OpinionCase, closure: str) -> OpinionCase:
    if case.status == OpinionCase.Status.CLOSED:
        raise Conflict("该研判已办结", field="status")
    if case.status != OpinionCase.Status.ANSWERED:
        raise Conflict("请先登记回应情况，再办结", field="status")
    case.closure = checked_text(closure, field="closure", label="办结说明", limit=10000)
    case.status = OpinionCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["closure", "status", "closed_at", "updated_at"])
    audit(
        actor=actor,
        action="update",
        obj=case,
        org=case.org,
        verb=f"舆情研判办结：{case.item.title[:40]}",
        changes={"status": [OpinionCase.Status.ANSWERED, case.status]},
    )
    return case
