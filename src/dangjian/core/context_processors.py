from dangjian.core.menu import build_menu
from dangjian.core.scope import reach_of


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    reach = reach_of(user)
    return {
        "reach": reach,
        "menu": lambda: build_menu(reach.is_manager, request.path),
        "unread_count": lambda: user.notifications.filter(read_at__isnull=True).count(),
    }
