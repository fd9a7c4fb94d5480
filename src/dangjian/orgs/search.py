"""What the top bar's search (``core.search``) finds among orgs: names and short names,
through the gate."""

from __future__ import annotations

from django.urls import reverse

from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.orgs.selectors import org_list


def _detail(org) -> str:
    parts = (org.get_kind_display(), org.parent.name if org.parent else "")
    return " · ".join(part for part in parts if part)


@searcher(order=20)
def orgs(user, q: str, limit: int) -> SearchGroup:
    return SearchGroup(
        title="党组织",
        hits=[
            SearchHit(org.name, _detail(org), reverse("orgs:detail", args=[org.pk]))
            for org in org_list(user=user, q=q).order_by("path")[:limit]
        ],
    )
