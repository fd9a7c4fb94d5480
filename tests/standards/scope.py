"""Objects for the scope matrix. Standards, articles and rules are global (not owned by an
org): every logged-in user may read them, so one value is given for both sides."""

import datetime as dt

from dangjian.standards.models import Article, Standard


def scope_objects(world) -> dict:
    standard = Standard.objects.get(code="branch")
    article = Article.objects.filter(standard=standard).order_by("sort").first()
    return {"standard_id": standard.pk, "article_id": article.pk, "code": "MTG-3"}


def write_payloads(world) -> dict:
    return {
        ("PATCH", "/api/v1/rules/{code}"): {
            "effective_from": dt.date.today().isoformat(),
            "change_reason": "范围测试",
        },
    }
