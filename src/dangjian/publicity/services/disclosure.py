"""党务公开 (DSC-3): a branch's yearly disclosure assembled from the platform's records
(``publicity.sources``), its items editable until it is submitted; then the DSC-1 workflow
(``workflow``) publishes it, writing a publication record on each item."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dangjian.core.actors import actor_name, actor_user
from dangjian.core.audit import audit
from dangjian.core.checks import checked_year
from dangjian.core.errors import Conflict, DomainError
from dangjian.orgs.models import Org
from dangjian.publicity import sources
from dangjian.publicity.models import Disclosure, DisclosureItem, Scope
from dangjian.publicity.services.articles import checked_scope
from dangjian.publicity.services.common import params, text

MAX_ITEMS = 30


@transaction.atomic
def disclosure_assemble(
    *, actor, org: Org, year: int, scope: str = Scope.ORG, title: str = ""
) -> Disclosure:
    """Create ``org``'s disclosure of ``year`` with the items DSC-3 lists, from the records."""
    year = checked_year(year)
    scope = checked_scope(scope, [], org)
    if scope == Scope.PEOPLE:
        raise DomainError("党务公开的范围为社会、全体党员或本组织", field="scope")
    if Disclosure.objects.filter(org=org, year=year).exists():
        raise Conflict(f"{org.name}{year}年的党务公开已建立，请在原记录上修改", field="year")
    title = text(title or f"{org.name}{year}年度党务公开", field="title", label="标题", limit=200)
    try:
        with transaction.atomic():
            disclosure = Disclosure.objects.create(
                org=org,
                year=year,
                title=title,
                scope=scope,
                author=actor_user(actor),
                author_name=actor_name(actor),
            )
    except IntegrityError:
        raise Conflict(f"{org.name}{year}年的党务公开已建立", field="year") from None
    kinds = params("DSC-3").get("items") or list(sources.SOURCES)
    DisclosureItem.objects.bulk_create(
        DisclosureItem(disclosure=disclosure, **row)
        for row in sources.assemble(actor, org, year, kinds)
    )
    audit(
        actor=actor,
        action="create",
        obj=disclosure,
        verb=f"生成{year}年度党务公开（{disclosure.items.count()} 项）",
    )
    return disclosure


def _editable(disclosure: Disclosure) -> Disclosure:
    disclosure = Disclosure.objects.select_for_update(of=("self",)).get(pk=disclosure.pk)
    if not disclosure.editable:
        raise Conflict(
            f"当前为“{disclosure.get_status_display()}”，提交后不能修改公开事项", field="status"
        )
    return disclosure


@transaction.atomic
def disclosure_item_save(
    *,
    actor,
    disclosure: Disclosure,
    title: str,
    content: str,
    item: DisclosureItem | None = None,
    kind: str = DisclosureItem.Kind.OTHER,
) -> DisclosureItem:
    """Edit an item (``item``) or add one of the disclosure's own (``kind`` other)."""
    disclosure = _editable(disclosure)
    title = text(title, field="title", label="事项", limit=200)
    content = text(content, field="content", label="内容", limit=10_000)
    if item is None:
        if kind not in DisclosureItem.Kind.values:
            raise DomainError("类别无效", field="kind")
        if disclosure.items.count() >= MAX_ITEMS:
            raise DomainError(f"公开事项最多 {MAX_ITEMS} 项", field="title")
        item = DisclosureItem.objects.create(
            disclosure=disclosure,
            kind=kind,
            title=title,
            content=content,
            source="手工补充",
            sort=disclosure.items.count(),
        )
        verb = f"补充公开事项：{title}"
    else:
        if item.disclosure_id != disclosure.pk:
            raise DomainError("该事项不属于这次党务公开", field="item")
        item.title, item.content = title, content
        item.save(update_fields=["title", "content"])
        verb = f"修改公开事项：{title}"
    audit(actor=actor, action="update", obj=disclosure, verb=verb)
    return item


@transaction.atomic
def disclosure_item_regenerate(*, actor, disclosure: Disclosure, item: DisclosureItem):
    """Read the item again from the records (after, say, the dues disclosure was made)."""
    disclosure = _editable(disclosure)
    source = sources.SOURCES.get(item.kind)
    if source is None or item.disclosure_id != disclosure.pk:
        raise DomainError("该事项不是由平台记录生成的，请直接修改", field="item")
    item.title, item.content, item.source = source(actor, disclosure.org, disclosure.year)
    item.save(update_fields=["title", "content", "source"])
    audit(actor=actor, action="update", obj=disclosure, verb=f"重新生成公开事项：{item.title}")
    return item


@transaction.atomic
def disclosure_update(*, actor, disclosure: Disclosure, title: str, scope: str) -> Disclosure:
    disclosure = _editable(disclosure)
    scope = checked_scope(scope, [], disclosure.org)
    if scope == Scope.PEOPLE:
        raise DomainError("党务公开的范围为社会、全体党员或本组织", field="scope")
    disclosure.title = text(title, field="title", label="标题", limit=200)
    disclosure.scope = scope
    disclosure.save(update_fields=["title", "scope", "updated_at"])
    audit(actor=actor, action="update", obj=disclosure, verb=f"修改党务公开：{disclosure.title}")
    return disclosure
