"""Every read the publicity pages and API make, through the gate (``visible_to``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangjian.publicity.models import (
    Article,
    Disclosure,
    Notice,
    NoticeRead,
    RoleModel,
    Status,
)

ORDER = {
    "-date": ["-published_at", "-updated_at", "-id"],
    "date": ["published_at", "updated_at", "id"],
    "title": ["title", "id"],
}


def _filtered(qs, *, q: str = "", org=None, status: str = "", sort: str = "", fields=("title",)):
    if q:
        cond = Q()
        for f in fields:
            cond |= Q(**{f"{f}__icontains": q})
        qs = qs.filter(cond)
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*ORDER.get(sort or "-date", ORDER["-date"]))


def article_list(user, **filters) -> QuerySet[Article]:
    qs = Article.objects.visible_to(user).select_related("org")
    return _filtered(qs, fields=("title", "summary", "author_name"), **filters)


def role_model_list(user, **filters) -> QuerySet[RoleModel]:
    qs = RoleModel.objects.visible_to(user).select_related("org", "member")
    return _filtered(qs, fields=("title", "member__name", "honour"), **filters)


def disclosure_list(user, **filters) -> QuerySet[Disclosure]:
    qs = (
        Disclosure.objects.visible_to(user)
        .select_related("org")
        .annotate(item_count=Count("items"))
    )
    return _filtered(qs, fields=("title", "org__name"), **filters)


def notice_list(user, *, q: str = "", org=None, status: str = "", sort: str = "", today=None):
    today = today or dt.date.today()
    qs = (
        Notice.objects.visible_to(user)
        .select_related("org")
        .annotate(
            read_count=Count("reads", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        )
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if org is not None:
        qs = qs.in_subtree(org)
    if status == "current":
        qs = qs.current(today)
    elif status == "expired":
        qs = qs.filter(withdrawn_at__isnull=True, expires_on__lt=today)
    elif status == "withdrawn":
        qs = qs.filter(withdrawn_at__isnull=False)
    order = {"-date": ["-pinned", "-published_at", "-id"], "date": ["published_at", "id"]}
    return qs.order_by(*order.get(sort or "-date", ["title", "id"]))


def my_notices(user, *, today=None):
    """The notices that reach a person, current ones, pinned first, each marked read or not."""
    today = today or dt.date.today()
    return (
        Notice.objects.visible_to(user)
        .current(today)
        .select_related("org")
        .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)))
        .order_by("-pinned", "-published_at", "-id")
    )


def my_articles(user):
    """Published articles and role models that reach a person (their phone's 宣传 page)."""
    return (
        Article.objects.visible_to(user)
        .filter(status=Status.PUBLISHED)
        .select_related("org")
        .order_by("-published_at", "-id")
    )


def receipts(notice: Notice) -> dict:
    """Who has opened the notice and who has not yet, for the sender's information only:
    no rate, no ranking (ANT-2)."""
    from dangjian.publicity.services.notices import audience_users

    read = {
        r.user_id: r.read_at
        for r in NoticeRead.objects.filter(notice=notice).only("user_id", "read_at")
    }
    people = list(
        audience_users(notice)
        .select_related("member__org")
        .order_by("member__org__path", "member__name")[:2000]
    )
    rows = [
        {
            "name": u.member.name if u.member_id else u.get_full_name(),
            "org": u.member.org.name if u.member_id else "",
            "read_at": read.get(u.pk),
        }
        for u in people
    ]
    return {
        "read": [r for r in rows if r["read_at"]],
        "unread": [r for r in rows if not r["read_at"]],
    }


# --- the public portal: published items of the public scope only ---------------------


def public_articles(*, q: str = "", category: str = ""):
    qs = Article.objects.public().select_related("org").order_by("-published_at", "-id")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if category:
        qs = qs.filter(category=category)
    return qs


def public_role_models(*, q: str = ""):
    qs = RoleModel.objects.public().select_related("org", "member")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(honour__icontains=q))
    return qs.order_by("-published_at", "-id")


def public_disclosures(*, q: str = "", year: int | None = None):
    qs = Disclosure.objects.public().select_related("org")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-published_at", "-id")
