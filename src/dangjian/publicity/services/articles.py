"""Writing articles (党建动态) and role-model profiles (身边榜样): create and edit while the
item is a draft (or returned); the workflow itself is ``workflow``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core.actors import actor_name, actor_user
from dangjian.core.audit import audit
from dangjian.core.choices import choices_text
from dangjian.core.dates import check_sensible_date
from dangjian.core.errors import Conflict, DomainError
from dangjian.members.models import Member
from dangjian.orgs.models import Org
from dangjian.publicity.models import Article, Publication, RoleModel, Scope
from dangjian.publicity.services.common import image, params, rich_text, text


def checked_scope(scope: str, people: list[Member] | None, org: Org) -> str:
    """A scope of DSC-2 (as the library lists them); named people from the org's subtree."""
    allowed = params("DSC-2").get("scopes") or Scope.values
    if scope not in Scope.values or scope not in allowed:
        options = [(k, v) for k, v in Scope.choices if k in allowed]
        raise DomainError(f"公开范围无效，可选：{choices_text(options)}", field="scope")
    if scope == Scope.PEOPLE:
        outside = [m.name for m in people or [] if not m.org.path.startswith(org.path)]
        if outside:
            raise DomainError(f"{'、'.join(outside)}不在{org.name}", field="people")
    return scope


def _set_people(item: Publication, scope: str, people: list[Member] | None) -> None:
    item.people.set((people or []) if scope == Scope.PEOPLE else [])


def _editable(item: Publication) -> Publication:
    item = type(item).objects.select_for_update(of=("self",)).select_related("org").get(pk=item.pk)
    if not item.editable:
        raise Conflict(f"当前为“{item.get_status_display()}”，不能修改", field="status")
    return item


@transaction.atomic
def article_create(
    *,
    actor,
    org: Org,
    title: str,
    body: str,
    scope: str = Scope.ORG,
    category: str = Article.Category.NEWS,
    summary: str = "",
    cover=None,
    people: list[Member] | None = None,
) -> Article:
    if category not in Article.Category.values:
        raise DomainError(
            f"栏目无效，可选：{choices_text(Article.Category.choices)}", field="category"
        )
    article = Article(
        org=org,
        title=text(title, field="title", label="标题", limit=200),
        body=rich_text(body),
        summary=text(summary, field="summary", label="摘要", limit=300, required=False),
        scope=checked_scope(scope, people, org),
        category=category,
        author=actor_user(actor),
        author_name=actor_name(actor),
    )
    if cover:
        article.cover = image(cover)
    article.save()
    _set_people(article, scope, people)
    audit(actor=actor, action="create", obj=article, verb=f"撰写文章：{article.title}")
    return article


@transaction.atomic
def article_update(
    *,
    actor,
    article: Article,
    title: str,
    body: str,
    scope: str,
    category: str,
    summary: str = "",
    cover=None,
    people: list[Member] | None = None,
) -> Article:
    article = _editable(article)
    if category not in Article.Category.values:
        raise DomainError(
            f"栏目无效，可选：{choices_text(Article.Category.choices)}", field="category"
        )
    before = {"title": article.title, "scope": article.scope}
    article.title = text(title, field="title", label="标题", limit=200)
    article.body = rich_text(body)
    article.summary = text(summary, field="summary", label="摘要", limit=300, required=False)
    article.scope = checked_scope(scope, people, article.org)
    article.category = category
    if cover:
        article.cover = image(cover)
    article.save()
    _set_people(article, scope, people)
    audit(
        actor=actor,
        action="update",
        obj=article,
        verb=f"修改文章：{article.title}",
        changes={k: [v, getattr(article, k)] for k, v in before.items()},
    )
    return article


def _consent(consent_on, consent_note: str) -> tuple[dt.date, str]:
    if not consent_on:
        raise DomainError("身边榜样须经本人同意后公开，请填写本人同意日期", field="consent_on")
    check_sensible_date(consent_on, field="consent_on")
    if consent_on > timezone.localdate():
        raise DomainError("本人同意日期不能晚于今天", field="consent_on")
    note = text(consent_note, field="consent_note", label="同意方式（如：本人书面同意）", limit=200)
    return consent_on, note


@transaction.atomic
def role_model_create(
    *,
    actor,
    org: Org,
    member: Member,
    title: str,
    deeds: str,
    consent_on: dt.date,
    consent_note: str,
    honour: str = "",
    scope: str = Scope.ORG,
    photo=None,
    people: list[Member] | None = None,
) -> RoleModel:
    if not member.org.path.startswith(org.path):
        raise DomainError(f"{member.name}不在{org.name}", field="member")
    consent_on, consent_note = _consent(consent_on, consent_note)
    item = RoleModel(
        org=org,
        member=member,
        title=text(title, field="title", label="标题", limit=200),
        deeds=rich_text(deeds, field="deeds", label="先进事迹"),
        honour=text(honour, field="honour", label="荣誉称号", limit=100, required=False),
        consent_on=consent_on,
        consent_note=consent_note,
        scope=checked_scope(scope, people, org),
        author=actor_user(actor),
        author_name=actor_name(actor),
    )
    if photo:
        item.photo = image(photo, field="photo")
    item.save()
    _set_people(item, scope, people)
    audit(
        actor=actor,
        action="create",
        obj=item,
        verb=f"撰写身边榜样：{member.name}（本人{consent_on}同意公开）",
    )
    return item


@transaction.atomic
def role_model_update(
    *,
    actor,
    item: RoleModel,
    title: str,
    deeds: str,
    consent_on: dt.date,
    consent_note: str,
    honour: str = "",
    scope: str = Scope.ORG,
    photo=None,
    people: list[Member] | None = None,
) -> RoleModel:
    item = _editable(item)
    item.consent_on, item.consent_note = _consent(consent_on, consent_note)
    item.title = text(title, field="title", label="标题", limit=200)
    item.deeds = rich_text(deeds, field="deeds", label="先进事迹")
    item.honour = text(honour, field="honour", label="荣誉称号", limit=100, required=False)
    item.scope = checked_scope(scope, people, item.org)
    if photo:
        item.photo = image(photo, field="photo")
    item.save()
    _set_people(item, scope, people)
    audit(actor=actor, action="update", obj=item, verb=f"修改身边榜样：{item.title}")
    return item
