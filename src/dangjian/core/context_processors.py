from dangjian.core.menu import menu_html
from dangjian.core.scope import reach_of
from dangjian.core.working import print_org, switchable_orgs, working_org


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    reach = reach_of(user)
    return {
        "reach": reach,
        "menu_html": lambda: menu_html(reach.is_manager, request.path),
        "unread_count": lambda: user.notifications.filter(read_at__isnull=True).count(),
        # The top bar's switcher: the orgs of the user's positions, and the one worked in.
        "switchable_orgs": lambda: switchable_orgs(request),
        "working_org": lambda: working_org(request) or next(iter(switchable_orgs(request)), None),
        # Named on every printed page, with the date (base/layout.html).
        "print_org": lambda: print_org(request),
    }
