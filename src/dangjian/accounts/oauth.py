"""Login through WeChat Work (企业微信) and DingTalk (钉钉): the providers' OAuth endpoints.

Off while unset (``WECOM_CORP_ID`` / ``DINGTALK_CLIENT_ID``). The base addresses are settings
too (``WECOM_API``, ``WECOM_AUTHORIZE_URL``, ``WECOM_QR_URL``, ``DINGTALK_API``,
``DINGTALK_AUTHORIZE_URL``), for a private deployment or an intranet gateway, and for the
tests' stand-in server.

- WeChat Work: inside the WeChat Work app the page goes to the OAuth authorize URL
  (``snsapi_base``); on a PC to the QR login (``login_type=CorpApp``). The callback's
  ``code`` is read with ``GET {WECOM_API}/cgi-bin/gettoken?corpid&corpsecret`` then
  ``GET {WECOM_API}/cgi-bin/auth/getuserinfo?access_token&code`` → ``userid``.
- DingTalk: ``{DINGTALK_AUTHORIZE_URL}?client_id&redirect_uri&response_type=code&scope=openid
  &state&prompt=consent`` (a QR on a PC, a tap inside DingTalk); the callback's ``authCode``
  is exchanged at ``POST {DINGTALK_API}/v1.0/oauth2/userAccessToken`` and the user read at
  ``GET {DINGTALK_API}/v1.0/contact/users/me`` → ``unionId``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from dangjian.core.errors import DomainError

IN_APP = {"wecom": "wxwork", "dingtalk": "dingtalk"}  # user-agent marks of the apps
ANSWER_MAX_BYTES = 64 * 1024


class OAuthError(DomainError):
    status = 400


@dataclass(frozen=True)
class Identity:
    external_id: str
    name: str = ""


def configured(provider: str) -> bool:
    if provider == "wecom":
        return bool(settings.WECOM_CORP_ID)
    if provider == "dingtalk":
        return bool(settings.DINGTALK_CLIENT_ID)
    return False


def providers() -> list[tuple[str, str]]:
    """(provider, label) of the providers switched on, for the login page's buttons."""
    labels = {"wecom": "企业微信", "dingtalk": "钉钉"}
    return [(p, label) for p, label in labels.items() if configured(p)]


def authorize_url(provider: str, *, redirect_uri: str, state: str, user_agent: str) -> str:
    in_app = IN_APP[provider] in user_agent.lower()
    if provider == "wecom":
        if in_app:
            query = urlencode(
                {
                    "appid": settings.WECOM_CORP_ID,
                    "redirect_uri": redirect_uri,
                    "response_type": "code",
                    "scope": "snsapi_base",
                    "state": state,
                    "agentid": settings.WECOM_AGENT_ID,
                }
            )
            return f"{settings.WECOM_AUTHORIZE_URL}?{query}#wechat_redirect"
        query = urlencode(
            {
                "login_type": "CorpApp",
                "appid": settings.WECOM_CORP_ID,
                "agentid": settings.WECOM_AGENT_ID,
                "redirect_uri": redirect_uri,
                "state": state,
            }
        )
        return f"{settings.WECOM_QR_URL}?{query}"
    query = urlencode(
        {
            "client_id": settings.DINGTALK_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid",
            "state": state,
            "prompt": "consent",
        }
    )
    return f"{settings.DINGTALK_AUTHORIZE_URL}?{query}"


def _call(url: str, *, data: dict | None = None, headers: dict | None = None) -> dict:
    body = json.dumps(data).encode() if data is not None else None
    head = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=body, headers=head | (headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=settings.OAUTH_TIMEOUT_SECONDS) as resp:
            answer = json.loads(resp.read(ANSWER_MAX_BYTES) or b"{}")
    except urllib.error.HTTPError as exc:
        raise OAuthError(f"登录平台拒绝了请求（HTTP {exc.code}），请稍后重试")
    except (OSError, ValueError):
        raise OAuthError("暂时无法连接登录平台，请稍后重试或使用账号密码登录")
    if not isinstance(answer, dict):
        raise OAuthError("登录平台的应答无法识别，请使用账号密码登录")
    return answer


def _wecom(code: str) -> Identity:
    api = settings.WECOM_API.rstrip("/")
    token = _call(
        f"{api}/cgi-bin/gettoken?"
        + urlencode({"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET})
    )
    if token.get("errcode") not in (0, None) or not token.get("access_token"):
        raise OAuthError(
            f"企业微信应用配置有误（{token.get('errmsg', '无访问令牌')}），请联系管理员"
        )
    info = _call(
        f"{api}/cgi-bin/auth/getuserinfo?"
        + urlencode({"access_token": token["access_token"], "code": code})
    )
    userid = info.get("userid") or info.get("UserId")
    if info.get("errcode") not in (0, None) or not userid:
        raise OAuthError("企业微信登录已失效或不是本单位成员，请重新扫码")
    return Identity(str(userid)[:128])


def _dingtalk(code: str) -> Identity:
    api = settings.DINGTALK_API.rstrip("/")
    token = _call(
        f"{api}/v1.0/oauth2/userAccessToken",
        data={
            "clientId": settings.DINGTALK_CLIENT_ID,
            "clientSecret": settings.DINGTALK_CLIENT_SECRET,
            "code": code,
            "grantType": "authorization_code",
        },
    )
    if not token.get("accessToken"):
        raise OAuthError("钉钉登录已失效，请重新扫码")
    me = _call(
        f"{api}/v1.0/contact/users/me",
        headers={"x-acs-dingtalk-access-token": token["accessToken"]},
    )
    if not me.get("unionId"):
        raise OAuthError("未能从钉钉读取账号信息，请重新扫码")
    return Identity(str(me["unionId"])[:128], str(me.get("nick") or "")[:100])


def identify(provider: str, code: str) -> Identity:
    """Who the provider says the person behind ``code`` is (one use of the code)."""
    code = (code or "").strip()
    if not code or len(code) > 512:
        raise OAuthError("缺少登录平台返回的授权码，请重新扫码")
    return _wecom(code) if provider == "wecom" else _dingtalk(code)
