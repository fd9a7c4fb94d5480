import math

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.accounts import oauth, selectors, services
from dangjian.core.errors import DomainError
from dangjian.core.forms import BootstrapMixin, add_domain_errors


class LoginForm(BootstrapMixin, AuthenticationForm):
    remember = forms.BooleanField(
        label="记住我（关闭浏览器后仍保持登录；公用电脑请勿勾选）", required=False
    )
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次将锁定 15 分钟。",
        "inactive": "该账号已停用。",
    }


class PasswordForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The WeChat Work / DingTalk buttons, only for the providers configured.
        return super().get_context_data(**kwargs) | {"oauth_providers": oauth.providers()}

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "remember me" the cookie ends with the browser (SESSION_EXPIRE_AT_BROWSER_CLOSE);
        # with it, the cookie lasts SESSION_COOKIE_AGE. The idle timeout applies either way.
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        return response


@login_required
def password_change(request):
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                actor=request.user,
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            add_domain_errors(
                form,
                exc,
                field_map=lambda f: "new_password1" if f in ("new_password", "password") else f,
            )
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改，您的 API 令牌已全部失效")
            return redirect("core:home")
    return render(
        request,
        "accounts/password.html",
        {"form": form, "must_change": request.user.must_change_password},
    )


@login_required
def token_list(request):
    tokens = list(selectors.tokens_of(request.user))
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": tokens,
            "idle_hours": settings.API_TOKEN_IDLE_HOURS,
            "lifetime_days": settings.API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=token_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"已撤销令牌 {token.prefix}…")
    return redirect("accounts:tokens")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


def lockout_minutes_left(request, credentials) -> int:
    """Whole minutes until the lockout of this username and address ends."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    handler = AxesProxyHandler.get_implementation()
    latest = None
    if hasattr(handler, "get_user_attempts"):
        for attempts in handler.get_user_attempts(request, credentials):
            for at in attempts.values_list("attempt_time", flat=True):
                latest = at if latest is None or at > latest else latest
    if latest is None:
        return math.ceil(cool_off.total_seconds() / 60)
    left = (latest + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): JSON 429 with
    the minutes left for the API, the lockout page for browsers."""
    minutes = lockout_minutes_left(request, credentials)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": f"登录失败次数过多，已临时锁定，请 {minutes} 分钟后再试",
                "errors": [],
                "code": "locked_out",
                "minutes_left": minutes,
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "accounts/locked.html", {"minutes_left": minutes}, status=429)
