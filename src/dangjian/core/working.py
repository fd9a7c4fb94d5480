"""The org a user is working in (the top bar's switcher), for users holding positions in
several orgs. Kept in the session (written only when the user switches); pages that open on
"my org" (a dues sheet, the compliance page, a roster export) start from it."""

from __future__ import annotations

from dangjian.core.scope import org_tree, reach_of

SESSION_KEY = "working_org"


def switchable_orgs(request) -> list:
    """The orgs where the user holds a position, in tree order, when there are several to
    switch between; empty otherwise, without a query (once per request)."""
    cached = getattr(request, "_dangjian_switchable_orgs", None)
    if cached is None:
        paths = {path for path, _ in reach_of(request.user).roles}
        model = org_tree().model
        cached = (
            list(model.objects.filter(path__in=paths).order_by("path")) if len(paths) > 1 else []
        )
        request._dangjian_switchable_orgs = cached
    return cached


def working_org(request):
    """The org chosen in the switcher while the user still holds a position there (and
    another elsewhere)."""
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return next((org for org in switchable_orgs(request) if org.pk == pk), None)


def print_org(request):
    """The org named on a printed page: the working org, else the top org of the user's
    positions (one small query, only for users with a single position)."""
    orgs = switchable_orgs(request)
    if orgs:
        return working_org(request) or orgs[0]
    paths = sorted({path for path, _ in reach_of(request.user).roles}, key=len)
    if not paths:
        return None
    return org_tree().model.objects.only("name").filter(path=paths[0]).first()


def switch_org(request, org_id: str):
    """Remember ``org_id`` (one of the user's position orgs; "" forgets); the org, or None
    when the id is not one of them."""
    if not org_id:
        request.session.pop(SESSION_KEY, None)
        return None
    org = next((o for o in switchable_orgs(request) if str(o.pk) == org_id), None)
    if org is not None:
        request.session[SESSION_KEY] = org.pk
    return org


def default_org(request, orgs):
    """The org a page opens on: the working org when ``orgs`` holds it, else the first of
    ``orgs`` by depth and path (the top of the user's reach)."""
    chosen = working_org(request)
    if chosen is not None and orgs.filter(pk=chosen.pk).exists():
        return chosen
    # When ``orgs`` holds every org the reach's positions are in, its top is the first of
    # those (anything else lies below one of them): a few rows, where a work committee's
    # staff over a province had 22,000 orgs sorted for the first.
    paths = reach_of(request.user).paths
    if paths:
        tops = list(orgs.filter(path__in=paths).order_by("depth", "path"))
        if len(tops) == len(paths):
            return tops[0]
    return orgs.order_by("depth", "path").first()
