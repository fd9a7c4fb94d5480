"""View guards. Out of reach answers 404, never 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from dangjian.core.scope import reach_of


def manager_required(view):
    """Logged in and holding a position somewhere (or platform admin)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not reach_of(request.user).is_manager:
            raise Http404("对象不存在或无权访问")
        return view(request, *args, **kwargs)

    return wrapped
