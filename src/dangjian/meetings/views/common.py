"""Request helpers shared by the pages of organizational life."""

from __future__ import annotations

from django.utils import timezone

from dangjian.core.scope import get_manageable, get_visible
from dangjian.meetings.forms import branch_choices
from dangjian.orgs.models import Org


def year_param(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def org_param(request, *, manage: bool = False):
    org_id = request.GET.get("org") or request.POST.get("org")
    if not org_id:
        return None
    getter = get_manageable if manage else get_visible
    return getter(Org.objects, request.user, pk=org_id)


def default_branch(request):
    """The branch chosen in the query, or the only branch the user manages."""
    org = org_param(request)
    if org is None:
        first_two = list(branch_choices(request.user)[:2])
        if len(first_two) == 1:
            org = first_two[0]
    return org
