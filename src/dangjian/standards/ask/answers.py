"""Answering a question (法规问答): the ranked rules, articles and FAQ entries, each with what
a person needs beside it — the article's text, the rule's current parameters and, for a
rule the platform checks, how the asker's own org stands on it this year.

Reads only: the library is open to every signed-in user; the standing is read through the
gate (``Org.objects.manageable_by``), from the kept compliance findings when they are fresh
(``standards.kept``), else by evaluating just those rules for the org's subtree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from dangjian.core.errors import DomainError
from dangjian.standards.ask.index import Entry, get_index
from dangjian.standards.ask.text import analyzer

EXAMPLES = ("支委会多久开一次", "预备党员可以当入党介绍人吗", "退休党员党费怎么交")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class Standing:
    """How the asker's org (with its subtree) stands on one checked rule this year."""

    org: object
    year: int
    counts: list[tuple[str, str, int]]  # (status, label, n), worst first
    own: list  # findings of the org itself (and its groups), worst first
    evaluated_at: dt.datetime | None

    @property
    def worst(self) -> str:
        return self.counts[0][0] if self.counts else ""


@dataclass
class Answer:
    entry: Entry
    score: float
    rule: object = None  # the rule's current version
    article: object = None
    standard: object = None
    params: list[dict] = field(default_factory=list)
    checked: bool = False
    standing: Standing | None = None

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def url(self) -> str:
        if self.entry.kind == "rule":
            return reverse("standards:rule", args=[self.entry.rule])
        if self.entry.kind == "article" and self.article is not None:
            return reverse("standards:article", args=[self.article.standard_id, self.article.pk])
        if self.entry.kind == "faq":
            return self.entry.faq.url
        return ""


@dataclass
class Result:
    question: str
    answers: list[Answer]
    message: str = ""
    org: object = None


def clean_question(text) -> str:
    """The question as asked, or a DomainError saying what is wrong with it."""
    question = _CONTROL.sub("", str(text or "")).strip()
    if not question:
        raise DomainError(f"请输入要查询的问题，例如“{EXAMPLES[0]}”", field="q")
    limit = settings.ASK_MAX_QUESTION
    if len(question) > limit:
        raise DomainError(
            f"问题过长（{len(question)} 字），请精简到 {limit} 字以内，只写要问的事", field="q"
        )
    return question


def ask(question, *, user=None, org=None, limit: int | None = None) -> Result:
    """The answers to ``question``, best first. ``org``: whose standing to show (already
    through the gate); by default the top org of the user's reach, none for a plain member."""
    question = clean_question(question)
    limit = max(1, min(limit or settings.ASK_ANSWERS, 20))
    words = analyzer().words(question)
    if not words:
        return Result(
            question,
            [],
            message="没能从问题中识别出关键词，请换个说法，例如“退休党员党费怎么交”。",
        )
    hits = get_index().search(words, limit)
    if not hits:
        return Result(
            question,
            [],
            message="标准库中没有找到相关的规定，请换个说法，或到标准规范库中按法规浏览。",
        )
    answers = [Answer(entry=entry, score=round(score, 3)) for entry, score in hits]
    _attach_library(answers)
    if org is None and user is not None:
        from dangjian.standards.selectors import default_org

        org = default_org(user)
    if org is not None:
        _attach_standing(answers, org)
    return Result(question, answers, org=org)


def _attach_library(answers: list[Answer]) -> None:
    """The current rule versions, their articles and standards: three queries."""
    from dangjian.standards.models import Article, Rule, Standard
    from dangjian.standards.params import param_items
    from dangjian.standards.periods import local_today
    from dangjian.standards.registry import CHECKERS

    codes = {a.entry.rule for a in answers if a.entry.rule}
    today = local_today()
    current: dict[str, Rule] = {}
    newest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(code__in=codes).order_by("code", "-version"):
        newest.setdefault(rule.code, rule)
        in_force = rule.effective_from <= today and (
            rule.effective_to is None or rule.effective_to > today
        )
        if in_force:
            current.setdefault(rule.code, rule)
    std_codes = {a.entry.standard for a in answers if a.entry.standard}
    standards = {s.code: s for s in Standard.objects.filter(code__in=std_codes)}
    numbers = {a.entry.article for a in answers if a.entry.article}
    articles = {
        (a.standard_id, a.number): a
        for a in Article.objects.filter(standard__code__in=std_codes, number__in=numbers)
    }
    for answer in answers:
        entry = answer.entry
        answer.standard = standards.get(entry.standard)
        if answer.standard is not None and entry.article:
            answer.article = articles.get((answer.standard.pk, entry.article))
        if entry.rule:
            rule = current.get(entry.rule) or newest.get(entry.rule)
            if rule is not None:
                rule.standard = answer.standard or rule.standard
                answer.rule = rule
                answer.params = param_items(rule)
                answer.checked = bool(rule.enabled and rule.checker in CHECKERS)


def _attach_standing(answers: list[Answer], org) -> None:
    """The kept findings when the org's subtree has been evaluated this year (fresh or not:
    a stale one is queued for the worker and shown with its time); otherwise only the
    answered rules are evaluated for the subtree. A constant number of queries."""
    from dangjian.orgs.models import Org
    from dangjian.standards import kept
    from dangjian.standards import periods as P
    from dangjian.standards.engine import STATUS_LABELS, STATUS_ORDER, evaluate

    codes = {a.rule.code for a in answers if a.checked}
    if not codes:
        return
    today = P.local_today()
    year = today.year
    own = {org.pk} | set(
        Org.objects.active().filter(parent=org, kind=Org.Kind.GROUP).values_list("pk", flat=True)
    )
    tally: dict[tuple[str, str], int] = {}
    at = kept.last_evaluated(org, year)
    if at is not None:
        if kept.kept_at(org, year, today=today) is None:
            kept.queue(org)
        tally = kept.rule_counts(org, year, codes)
        mine = [f for f in kept.findings(org, year, org_ids=own) if f.rule_code in codes]
    else:
        kept.queue(org)
        found = evaluate(org, P.year(year), today=today, codes=codes)
        for f in found:
            tally[f.rule_code, f.status] = tally.get((f.rule_code, f.status), 0) + 1
        mine = [f for f in found if f.org_id in own]
    for answer in answers:
        if not answer.checked:
            continue
        code = answer.rule.code
        counts = sorted(
            ((s, STATUS_LABELS.get(s, s), n) for (c, s), n in tally.items() if c == code),
            key=lambda c: STATUS_ORDER.get(c[0], 9),
        )
        own_findings = sorted(
            (f for f in mine if f.rule_code == code),
            key=lambda f: (STATUS_ORDER.get(f.status, 9), f.period),
        )
        answer.standing = Standing(org, year, counts, own_findings[:5], at)
