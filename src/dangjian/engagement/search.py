"""What the top bar's search (``core.search``) finds among consultations (question, reply or
tracking code) of the orgs within reach (``selectors.consultation_list``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from dangjian.core.scope import reach_of
from dangjian.core.search import SearchGroup, SearchHit, searcher
from dangjian.engagement.selectors import consultation_list


@searcher(order=80)
def consultations(user, q: str, limit: int) -> SearchGroup | None:
    if not reach_of(user).is_manager:
        return None  # a member's own questions are on their phone page
    rows = list(consultation_list(user=user, q=q, sort="new")[: limit + 1])
    more = ""
    if len(rows) > limit:
        more = f"{reverse('engagement:consultations')}?{urlencode({'q': q})}"
    return SearchGroup(
        title="咨询与意见",
        hits=[
            SearchHit(
                c.short,
                f"{c.get_kind_display()} · {c.org.name} · {c.get_status_display()}",
                reverse("engagement:consultation", args=[c.pk]),
            )
            for c in rows[:limit]
        ],
        more_url=more,
    )
