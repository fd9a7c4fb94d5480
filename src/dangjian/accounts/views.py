from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from dangjian.core.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    remember = forms.BooleanField(
        label="记住我（关闭浏览器后仍保持登录；公用电脑请勿勾选）", required=False
    )
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次将锁定 15 分钟。",
        "inactive": "该账号已停用。",
    }


class PasswordForm(BootstrapMixin, PasswordChangeForm):
    pass


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Without "remember me" the cookie ends with the browser (SESSION_EXPIRE_AT_BROWSER_CLOSE);
        # with it, the cookie lasts SESSION_COOKIE_AGE. The idle timeout applies either way.
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    form_class = PasswordForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改")
        return super().form_valid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")
