from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from dangjian.accounts import services
from dangjian.accounts.schemas import TokenIn, TokenOut, UserIn, UserOut
from dangjian.api.auth import token_issue
from dangjian.core.errors import Forbidden
from dangjian.core.scope import reach_of
from dangjian.members.models import Member

router = Router(tags=["账号"])


@router.post("/auth/token", auth=None, response={200: TokenOut}, summary="获取令牌")
def auth_token(request, payload: TokenIn):
    from django.conf import settings

    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        from ninja.errors import AuthenticationError

        raise AuthenticationError()
    return {"token": token_issue(user=user), "expires_in_days": settings.API_TOKEN_DAYS}


@router.post("/users", response={201: UserOut}, summary="新建账号")
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


@router.get("/users/me", response=UserOut, summary="当前账号")
def user_me(request):
    return request.user
