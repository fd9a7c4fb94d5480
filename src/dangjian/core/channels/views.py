"""The channel pages (系统 → 消息渠道): the list, a channel with its delivery log, the form,
and the actions (test, disable, enable). Managers of the org only; others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dangjian.core.channels import selectors, services
from dangjian.core.channels.forms import ChannelFilterForm, ChannelForm, DeliveryFilterForm
from dangjian.core.decorators import manager_required
from dangjian.core.errors import DomainError
from dangjian.core.forms import add_domain_errors
from dangjian.core.htmx import render
from dangjian.core.models import Channel
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import get_manageable


def _channel(request, channel_id: int) -> Channel:
    return get_manageable(Channel.objects.select_related("org"), request.user, pk=channel_id)


@manager_required
def channel_list(request):
    form = ChannelFilterForm(request.GET or None, user=request.user)
    d = form.cleaned_data if form.is_valid() else {}
    enabled = {"1": True, "0": False}.get(d.get("enabled") or "")
    qs = selectors.channel_list(
        request.user,
        q=(d.get("q") or "").strip(),
        org=d.get("org"),
        kind=d.get("kind") or "",
        enabled=enabled,
        sort=d.get("sort") or "org",
    )
    page = paginate(request, qs)
    return render(
        request,
        "core/channels/list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@manager_required
def channel_new(request):
    form = ChannelForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            channel = services.channel_create(
                actor=request.user,
                org=d["org"],
                kind=d["kind"],
                url=d["url"],
                secret=d["secret"],
                name=d["name"],
                include_subtree=d["include_subtree"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "渠道已添加。可点“发送测试消息”确认群里能收到。")
            return redirect("core:channel", channel_id=channel.pk)
    return render(request, "core/channels/form.html", {"form": form, "channel": None})


@manager_required
def channel_edit(request, channel_id: int):
    channel = _channel(request, channel_id)
    form = ChannelForm(
        request.POST or None,
        user=request.user,
        channel=channel,
        initial={"name": channel.name, "include_subtree": channel.include_subtree},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.channel_update(
                actor=request.user,
                channel=channel,
                name=d["name"],
                url=d["url"] or None,
                secret=d["secret"] or None,
                include_subtree=d["include_subtree"],
            )
            if d.get("clear_secret"):
                services.channel_clear_secret(actor=request.user, channel=channel)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, "渠道已保存")
            return redirect("core:channel", channel_id=channel.pk)
    return render(request, "core/channels/form.html", {"form": form, "channel": channel})


@manager_required
def channel_detail(request, channel_id: int):
    channel = _channel(request, channel_id)
    form = DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = paginate(request, selectors.delivery_list(channel, status=status))
    return render(
        request,
        "core/channels/detail.html",
        {
            "channel": channel,
            "form": form,
            "page": page,
            "query": query_without_page(request),
        },
        partial="log",
    )


@manager_required
@require_POST
def channel_test(request, channel_id: int):
    channel = _channel(request, channel_id)
    try:
        services.channel_test(actor=request.user, channel=channel)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "测试消息已进入发送队列，稍后刷新查看推送记录")
    return redirect("core:channel", channel_id=channel.pk)


def _set_enabled(request, channel_id: int, enabled: bool):
    channel = _channel(request, channel_id)
    try:
        services.channel_set_enabled(actor=request.user, channel=channel, enabled=enabled)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "渠道已启用" if enabled else "渠道已停用，不再推送")
    return redirect("core:channel", channel_id=channel.pk)


@manager_required
@require_POST
def channel_disable(request, channel_id: int):
    return _set_enabled(request, channel_id, False)


@manager_required
@require_POST
def channel_enable(request, channel_id: int):
    return _set_enabled(request, channel_id, True)
