"""Who acts: a person (a ``User``) or the platform itself (``SYSTEM``).

Tasks, management commands and data loaders act as ``SYSTEM`` instead of passing
``actor=None`` with a flag. ``SYSTEM`` passes the gate like a platform administrator (views
never see it: it is not a request user), ``audit()`` records it as "系统" with no user,
and services store no user for it (``actor_user``) but its name (``actor_name``).
"""

from __future__ import annotations

SYSTEM_NAME = "系统"


class SystemActor:
    """The platform acting by itself (daily reminders, imports, demo data)."""

    is_system = True
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    member_id = None
    pk = None
    id = None
    username = "system"

    def get_full_name(self) -> str:
        return SYSTEM_NAME

    def __str__(self) -> str:
        return SYSTEM_NAME

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return bool(getattr(actor, "is_system", False))


def actor_user(actor):
    """The ``User`` to store as the one who acted: none for the system or nobody."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return actor if isinstance(actor, user_model) and actor.is_authenticated else None


def actor_name(actor) -> str:
    """The name to show for whoever acted ("系统" for the platform itself)."""
    if actor is None or is_system(actor):
        return SYSTEM_NAME
    user = actor_user(actor)
    if user is not None:
        return user.get_full_name() or user.username
    return actor.get_full_name() if hasattr(actor, "get_full_name") else SYSTEM_NAME
