from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError

from dangjian.accounts import selectors, services
from dangjian.accounts.schemas import (
    PageIn,
    PasswordChangeIn,
    TokenIn,
    TokenOut,
    TokenPage,
    UserIn,
    UserOut,
)
from dangjian.api.types import Id
from dangjian.core.errors import Forbidden
from dangjian.core.scope import reach_of
from dangjian.members.models import Member

auth_router = Router(tags=["账号"])  # mounted at /auth
users_router = Router(tags=["账号"])  # mounted at /users


@auth_router.post("/token", auth=None, response={200: TokenOut}, summary="获取令牌")
def auth_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # A locked-out client gets JSON 429 instead (accounts.views.lockout_response).
        raise AuthenticationError()
    token, raw = services.token_issue(user=user, client=request.headers.get("User-Agent", ""))
    # An API login is a login: audited, last_login set, failed attempts reset (axes).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {
        "token": raw,
        "expires_in_days": settings.API_TOKEN_DAYS,
        "expires_at": token.expires_at,
        "idle_timeout_hours": settings.API_TOKEN_IDLE_HOURS,
        "must_change_password": user.must_change_password,
    }


@auth_router.post("/logout", response={204: None}, summary="注销令牌（退出）")
def auth_logout(request):
    services.token_revoke(actor=request.user, token=request.api_token)
    return Status(204, None)


@auth_router.post("/password", response={200: UserOut}, summary="修改本人密码")
def auth_password(request, payload: PasswordChangeIn):
    return services.user_password_change(
        actor=request.user,
        user=request.user,
        old_password=payload.old_password,
        new_password=payload.new_password,
        keep_token=request.api_token,
    )


@auth_router.get("/tokens", response=TokenPage, summary="本人的令牌")
def token_list(request, filters: Query[PageIn]):
    qs = selectors.tokens_of(request.user)
    size = max(1, min(filters.page_size, 500))
    page = max(1, filters.page)
    rows = list(qs[(page - 1) * size : page * size])
    for row in rows:
        row.current = row.pk == request.api_token.pk
    return {"count": qs.count(), "page": page, "page_size": size, "results": rows}


@auth_router.delete("/tokens/{token_id}", response={204: None}, summary="撤销本人的令牌")
def token_revoke(request, token_id: Id):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=token_id)
    services.token_revoke(actor=request.user, token=token)
    return Status(204, None)


@users_router.post("", response={201: UserOut}, summary="新建账号")
def user_create(request, payload: UserIn):
    if not reach_of(request.user).is_manager:
        raise Forbidden("您没有创建账号的权限")
    member = None
    if payload.member is not None:
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=payload.member)
    user = services.user_create(
        actor=request.user,
        username=payload.username,
        password=payload.password,
        name=payload.name,
        member=member,
        email=payload.email,
    )
    return Status(201, user)


@users_router.get("/me", response=UserOut, summary="当前账号")
def user_me(request):
    return request.user
