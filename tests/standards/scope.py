"""Objects for the scope matrix. Standards, articles and rules are global (not owned by an
org): every logged-in user may read them, so one value is given for both sides."""

from dangjian.standards.models import Article, Standard


def scope_objects(world) -> dict:
    standard = Standard.objects.get(code="branch")
    article = Article.objects.filter(standard=standard).order_by("sort").first()
    return {"standard_id": standard.pk, "article_id": article.pk, "code": "MTG-3"}
