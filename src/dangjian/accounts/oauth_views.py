"""Pages of the WeChat Work / DingTalk login: start (to the provider: a QR on a PC, a tap
inside the app), the callback (state checked, then login or bind), and 账号绑定 (one's own
bindings; a manager binds the users of his orgs). The providers answer 404 while unset."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangjian.accounts import oauth, services
from dangjian.accounts.models import ExternalIdentity, User
from dangjian.core.errors import DomainError
from dangjian.core.forms import BootstrapMixin, add_domain_errors
from dangjian.core.paging import paginate, query_without_page
from dangjian.core.scope import reach_of
from dangjian.core.views import shell_for
from dangjian.members.models import Member

SESSION_KEY = "oauth_state"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def identities_of(user):
    """Bindings a user may see and unbind: his own and those of the users of his orgs."""
    return ExternalIdentity.objects.filter(
        Q(pk__in=ExternalIdentity.objects.manageable_by(user).values("pk")) | Q(user=user)
    )


def _provider(provider: str) -> str:
    if not oauth.configured(provider):
        raise Http404("未启用该登录方式")
    return provider


def _safe(request, target: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and ok else ""


def oauth_start(request, provider: str):
    """To the provider. Signed in, it binds the account to the user; otherwise it logs in."""
    _provider(provider)
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {
        "provider": provider,
        "state": state,
        "bind": request.user.is_authenticated,
        "next": _safe(request, request.GET.get("next", "")),
    }
    callback = request.build_absolute_uri(reverse(f"accounts:{provider}_callback"))
    return redirect(
        oauth.authorize_url(
            provider,
            redirect_uri=callback,
            state=state,
            user_agent=request.headers.get("User-Agent", ""),
        )
    )


def _refuse(request, message: str, status: int = 400):
    if request.user.is_authenticated:
        messages.error(request, message)
        return redirect("accounts:identities")
    return render(request, "accounts/oauth_error.html", {"message": message}, status=status)


def oauth_callback(request, provider: str):
    _provider(provider)
    started = request.session.pop(SESSION_KEY, None) or {}
    state = request.GET.get("state", "")
    if (
        started.get("provider") != provider
        or not state
        or not constant_time_compare(state, started.get("state", ""))
    ):
        return _refuse(request, "登录请求已失效或来源不明，请回到登录页重新扫码。")
    try:
        found = oauth.identify(provider, request.GET.get("code") or request.GET.get("authCode"))
        if started.get("bind"):
            if not request.user.is_authenticated:
                return _refuse(request, "请先登录再绑定。")
            services.identity_bind(
                actor=request.user,
                user=request.user,
                provider=provider,
                external_id=found.external_id,
                external_name=found.name,
            )
            messages.success(request, f"已绑定{dict(oauth.providers())[provider]}账号")
            return redirect("accounts:identities")
        user = services.identity_login(provider=provider, external_id=found.external_id)
    except DomainError as exc:
        return _refuse(request, exc.message, status=exc.status)
    login(request, user, backend=MODEL_BACKEND)
    return redirect(started.get("next") or "core:home")


class BindForm(BootstrapMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="账号")
    provider = forms.ChoiceField(choices=ExternalIdentity.Provider.choices, label="平台")
    external_id = forms.CharField(
        max_length=128,
        label="平台账号标识",
        help_text="企业微信：通讯录中的“账号”（UserID）；钉钉：unionId。也可由本人扫码绑定。",
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.manageable_by(actor).values("pk")
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, member__in=members)
            .select_related("member")
            .order_by("name", "username")
        )


@login_required
def identities(request):
    manager = reach_of(request.user).is_manager
    form = BindForm(request.POST or None, actor=request.user) if manager else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.identity_bind(
                actor=request.user,
                user=d["user"],
                provider=d["provider"],
                external_id=d["external_id"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"已为{d['user']}绑定账号")
            return redirect("accounts:identities")
    q = request.GET.get("q", "").strip()[:50]
    others = identities_of(request.user).exclude(user=request.user).select_related("user")
    if q:
        others = others.filter(Q(user__name__icontains=q) | Q(user__username__icontains=q))
    sort = request.GET.get("sort", "user")
    others = others.order_by(
        *{"user": ("user__username", "provider"), "-created": ("-created_at", "-id")}.get(
            sort, ("user__username", "provider")
        )
    )
    mine = {i.provider: i for i in ExternalIdentity.objects.filter(user=request.user)}
    return render(
        request,
        "accounts/identities.html",
        {
            "mine": [(p, label, mine.get(p)) for p, label in ExternalIdentity.Provider.choices],
            "configured": dict(oauth.providers()),
            "manager": manager,
            "form": form,
            "page": paginate(request, others) if manager else None,
            "q": q,
            "sort": sort,
            "query": query_without_page(request),
            "shell": shell_for(request),
        },
    )


@login_required
@require_POST
def identity_unbind(request, identity_id: int):
    identity = (
        identities_of(request.user).select_related("user__member__org").filter(pk=identity_id)
    )
    identity = identity.first()
    if identity is None:
        raise Http404("对象不存在或无权访问")
    services.identity_unbind(actor=request.user, identity=identity)
    messages.success(request, "已解除绑定")
    return redirect("accounts:identities")
