"""GET /api/v1/standards/ask?q=… — 法规问答 (mounted in ``dangjian.api.api``)."""

from __future__ import annotations

from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import Field

from dangjian.api.types import Id
from dangjian.core.scope import get_manageable
from dangjian.orgs.models import Org
from dangjian.standards.ask.answers import Answer, ask
from dangjian.standards.ask.schemas import AskOut
from dangjian.standards.engine import STATUS_LABELS

router = Router(tags=["标准规范与合规"])


class AskQuery(Schema):
    q: str = Field("", description="问题，如“支委会多久开一次”")
    org: Id | None = Field(None, description="显示哪个组织的执行情况（默认本人管理范围的顶级组织）")
    limit: Annotated[int, Field(ge=1, le=20, description="返回条数（1–20）")] | None = None


@router.get(
    "",
    response=AskOut,
    summary="法规问答：按问题检索规则、条款和常见问题，最相关的在前",
)
def standards_ask(request, query: Query[AskQuery]):
    """Each answer names its rule (code), standard (code), article and title, with its BM25
    score; a rule carries its current parameters and, when the platform checks it, how the
    org stands on it this year. An empty or overlong question answers 422 with a Chinese
    message; a question with nothing to match answers an empty list and ``message``. An
    ``org`` outside the caller's reach answers 404."""
    org = None
    if query.org is not None:
        org = get_manageable(Org.objects.active(), request.user, pk=query.org)
    result = ask(query.q, user=request.user, org=org, limit=query.limit)
    return {
        "question": result.question,
        "answers": [answer_out(a) for a in result.answers],
        "message": result.message,
        "org": result.org.pk if result.org is not None else None,
    }


def answer_out(a: Answer) -> dict:
    entry = a.entry
    out = {
        "rule": entry.rule,
        "standard": entry.standard,
        "article": entry.article,
        "title": entry.title,
        "score": a.score,
        "kind": entry.kind,
        "standard_title": a.standard.title if a.standard is not None else "",
        "article_text": a.article.text if a.article is not None else "",
        "params": [{"name": p["name"], "label": p["label"], "text": p["text"]} for p in a.params],
        "checked": a.checked,
        "answer": entry.faq.answer if entry.faq is not None else "",
        "url": a.url,
    }
    if a.standing is not None:
        s = a.standing
        out["standing"] = {
            "org": s.org.pk,
            "org_name": s.org.name,
            "year": s.year,
            "counts": {status: n for status, _, n in s.counts},
            "worst": s.worst,
            "worst_label": STATUS_LABELS.get(s.worst, "") if s.worst else "",
        }
    return out
