from django.urls import path

from dangjian.accounts import oauth_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    # WeChat Work / DingTalk login and bindings (404 while the provider is not configured).
    path("identities/", oauth_views.identities, name="identities"),
    path(
        "identities/<int:identity_id>/unbind/",
        oauth_views.identity_unbind,
        name="identity_unbind",
    ),
    path("oauth/wecom/", oauth_views.oauth_start, {"provider": "wecom"}, name="wecom_login"),
    path(
        "oauth/wecom/callback/",
        oauth_views.oauth_callback,
        {"provider": "wecom"},
        name="wecom_callback",
    ),
    path(
        "oauth/dingtalk/", oauth_views.oauth_start, {"provider": "dingtalk"}, name="dingtalk_login"
    ),
    path(
        "oauth/dingtalk/callback/",
        oauth_views.oauth_callback,
        {"provider": "dingtalk"},
        name="dingtalk_callback",
    ),
]
