"""Hooks that mark the kept figures stale when a record a panel watches (``watch=`` on
``core.panels.panel``) is saved or deleted; the rebuild runs on the worker after commit."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import autodiscover_modules

from dangjian.core import panels
from dangjian.core.signals import bulk_loaded, in_bulk_load

log = logging.getLogger(__name__)


def _receiver(sender, raw=False, **kwargs):
    if raw or in_bulk_load():  # fixtures; a bulk load marks the figures once, at its end
        return
    from dangjian.dashboard.services import figures_mark_stale

    try:
        figures_mark_stale()
    except Exception:  # a hook must never break the write it watches
        log.exception("dashboard watch on %s failed", sender._meta.label)


def watched_models() -> set[str]:
    autodiscover_modules("panels")
    return {label for p in panels.all_panels() for label in p.watch}


def connect() -> None:
    for label in sorted(watched_models()):
        model = apps.get_model(label)
        post_save.connect(_receiver, sender=model, dispatch_uid=f"dashboard:{label}:save")
        post_delete.connect(_receiver, sender=model, dispatch_uid=f"dashboard:{label}:delete")
    bulk_loaded.connect(_after_bulk_load, dispatch_uid="dashboard:bulk-loaded")


def _after_bulk_load(sender, **kwargs):
    from dangjian.dashboard.services import figures_mark_stale

    figures_mark_stale()
