"""The public portal (``/public/``, namespace ``portal``): no login. Its index, and the
published items of the public scope (DSC-2 社会公开): articles, role models, disclosures,
their feeds (Atom for readers, JSON for a WeChat 公众号 menu). Nothing else is reachable
here: a draft, a withdrawn item or one of a narrower scope answers 404, and nothing personal
is shown beyond what an item publishes. Every page is rate-limited per client
(``PUBLIC_READS_PER_MINUTE``)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from dangjian.core.htmx import render
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.portal import sections
from dangjian.core.ratelimit import hit, too_many
from dangjian.publicity import selectors
from dangjian.publicity.models import Article
from dangjian.publicity.services.common import plain

FEED_SIZE = 30


def public_read(view):
    """GET only, no session needed, within ``PUBLIC_READS_PER_MINUTE`` per client."""

    @require_GET
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not hit("portal-read", request, per_minute=settings.PUBLIC_READS_PER_MINUTE):
            return too_many(request)
        return view(request, *args, **kwargs)

    return wrapped


def _public(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, ValidationError):
        raise Http404("内容不存在或未公开") from None


def _absolute(request, path: str) -> str:
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@public_read
def index(request):
    ctx = {
        "articles": list(selectors.public_articles()[:6]),
        "role_models": list(selectors.public_role_models()[:4]),
        "disclosures": list(selectors.public_disclosures()[:5]),
        "sections": [s for s in sections() if s["url"] != request.path],
    }
    return render(request, "publicity/public/index.html", ctx)


@public_read
def articles(request):
    q = (request.GET.get("q") or "").strip()[:50]
    category = request.GET.get("category") or ""
    if category not in Article.Category.values:
        category = ""
    page = paginate(request, selectors.public_articles(q=q, category=category), 20)
    ctx = {
        "page": page,
        "q": q,
        "category": category,
        "categories": Article.Category.choices,
        "query": query_without_page(request),
    }
    return render(request, "publicity/public/articles.html", ctx)


@public_read
def article(request, public_article_id: int):
    item = _public(selectors.public_articles(), public_article_id)
    return render(request, "publicity/public/article.html", {"item": item})


@public_read
def article_cover(request, public_article_id: int):
    item = _public(selectors.public_articles(), public_article_id)
    if not item.cover:
        raise Http404("没有图片")
    return FileResponse(item.cover.open("rb"), filename=f"cover-{item.pk}")


@public_read
def role_models(request):
    q = (request.GET.get("q") or "").strip()[:50]
    page = paginate(request, selectors.public_role_models(q=q), 20)
    ctx = {"page": page, "q": q, "query": query_without_page(request)}
    return render(request, "publicity/public/role_models.html", ctx)


@public_read
def role_model(request, public_role_model_id: int):
    item = _public(selectors.public_role_models(), public_role_model_id)
    return render(request, "publicity/public/role_model.html", {"item": item})


@public_read
def role_model_photo(request, public_role_model_id: int):
    item = _public(selectors.public_role_models(), public_role_model_id)
    if not item.photo:
        raise Http404("没有图片")
    return FileResponse(item.photo.open("rb"), filename=f"photo-{item.pk}")


@public_read
def disclosures(request):
    q = (request.GET.get("q") or "").strip()[:50]
    year = request.GET.get("year") or ""
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    page = paginate(request, selectors.public_disclosures(q=q, year=year), 20)
    ctx = {"page": page, "q": q, "year": year or "", "query": query_without_page(request)}
    return render(request, "publicity/public/disclosures.html", ctx)


@public_read
def disclosure(request, public_disclosure_id: int):
    item = _public(selectors.public_disclosures(), public_disclosure_id)
    ctx = {"item": item, "items": list(item.items.all())}
    return render(request, "publicity/public/disclosure.html", ctx)


# --- feeds ------------------------------------------------------------------------------


def _feed_items(request):
    for item in selectors.public_articles()[:FEED_SIZE]:
        yield {
            "id": item.pk,
            "title": item.title,
            "url": _absolute(request, reverse("portal:article", args=[item.pk])),
            "summary": item.summary or plain(item.body, 200),
            "html": item.body,
            "category": item.get_category_display(),
            "org": item.org.name,
            "date": item.published_at,
            "image": (
                _absolute(request, reverse("portal:article_cover", args=[item.pk]))
                if item.cover
                else None
            ),
        }


@public_read
def feed_atom(request):
    """Atom 1.0 of the latest public articles."""
    feed = Atom1Feed(
        title="机关党建 · 党建动态",
        link=_absolute(request, reverse("portal:articles")),
        description="公开发布的党建动态",
        language="zh-cn",
        feed_url=_absolute(request, request.path),
    )
    for row in _feed_items(request):
        feed.add_item(
            title=row["title"],
            link=row["url"],
            description=row["html"],
            unique_id=row["url"],
            pubdate=row["date"],
            updateddate=row["date"],
            author_name=row["org"],
            categories=[row["category"]],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@public_read
def feed_json(request):
    """JSON Feed 1.1 of the latest public articles (for a 公众号 menu or another site)."""
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "机关党建 · 党建动态",
        "home_page_url": _absolute(request, reverse("portal:articles")),
        "feed_url": _absolute(request, request.path),
        "language": "zh-CN",
        "items": [
            {
                "id": str(row["id"]),
                "url": row["url"],
                "title": row["title"],
                "summary": row["summary"],
                "content_html": row["html"],
                "date_published": row["date"].isoformat() if row["date"] else None,
                "authors": [{"name": row["org"]}],
                "tags": [row["category"]],
                **({"image": row["image"]} if row["image"] else {}),
            }
            for row in _feed_items(request)
        ],
    }
    return JsonResponse(
        body, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False}
    )
