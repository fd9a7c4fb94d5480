"""Each provider's native message shape and signature, as documented by the provider.

- WeChat Work group robot (企业微信群机器人): ``POST <webhook url>`` with
  ``{"msgtype": "markdown", "markdown": {"content": …}}`` (content at most 4096 bytes); it
  answers ``{"errcode": 0, "errmsg": "ok"}``. No signature: the key is in the URL.
- DingTalk custom robot (钉钉自定义机器人) with 加签: ``timestamp`` in milliseconds,
  ``sign = urlencode(base64(HmacSHA256(key=secret, msg=f"{timestamp}\\n{secret}")))``,
  both appended to the URL as query parameters; body ``{"msgtype": "markdown",
  "markdown": {"title", "text"}}``; it answers ``{"errcode": 0, …}``.
- Feishu custom bot (飞书自定义机器人) with 签名校验: ``timestamp`` in seconds,
  ``sign = base64(HmacSHA256(key=f"{timestamp}\\n{secret}", msg=b""))``, both in the body;
  ``{"msg_type": "post", "content": {"post": {"zh_cn": {"title", "content"}}}}``; it answers
  ``{"code": 0, …}`` (older versions ``{"StatusCode": 0}``).
- Generic webhook: our own JSON ``{"title", "text", "url", "org", "source", "sent_at"}``; with
  a secret, headers ``X-Dangjian-Timestamp`` (seconds) and ``X-Dangjian-Signature:
  sha256=<hex HMAC-SHA256(key=secret, msg=f"{timestamp}.{body}")>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

WECOM_MAX_BYTES = 4096  # the robot's documented limit of a markdown message
TEXT_MAX_CHARS = 1000  # keep a copy short: the full text is one tap away


@dataclass(frozen=True)
class Message:
    title: str
    text: str = ""
    url: str = ""  # absolute
    org: str = ""
    source: str = ""


@dataclass
class Request:
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _short(text: str, limit: int = TEXT_MAX_CHARS) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in params] + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _truncate_bytes(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 of HmacSHA256(key=secret, msg="timestamp\\nsecret"), URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: base64 of HmacSHA256 keyed with "timestamp\\nsecret" over nothing."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def webhook_sign(secret: str, timestamp_s: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _markdown(msg: Message) -> str:
    lines = [f"**{msg.title}**"]
    if msg.org:
        lines.append(f'<font color="comment">{msg.org}</font>')
    if msg.text:
        lines.append(_short(msg.text))
    if msg.url:
        lines.append(f"[查看详情]({msg.url})")
    return "\n\n".join(lines)


def wecom_robot(msg: Message, *, url: str, secret: str, now: float) -> Request:
    content = _truncate_bytes(_markdown(msg), WECOM_MAX_BYTES)
    body = {"msgtype": "markdown", "markdown": {"content": content}}
    return Request(url, _json(body), {"Content-Type": "application/json"})


def dingtalk_robot(msg: Message, *, url: str, secret: str, now: float) -> Request:
    text = _markdown(msg).replace('<font color="comment">', "").replace("</font>", "")
    body = {"msgtype": "markdown", "markdown": {"title": msg.title, "text": text}}
    if secret:
        timestamp = int(now * 1000)
        # The sign is already URL-encoded (the documented recipe): append it as it is.
        url = (
            _with_query(url, timestamp=str(timestamp)) + f"&sign={dingtalk_sign(secret, timestamp)}"
        )
    return Request(url, _json(body), {"Content-Type": "application/json"})


def feishu_bot(msg: Message, *, url: str, secret: str, now: float) -> Request:
    paragraphs = []
    if msg.org:
        paragraphs.append([{"tag": "text", "text": msg.org}])
    if msg.text:
        paragraphs.append([{"tag": "text", "text": _short(msg.text)}])
    if msg.url:
        paragraphs.append([{"tag": "a", "text": "查看详情", "href": msg.url}])
    body: dict = {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": msg.title, "content": paragraphs}}},
    }
    if secret:
        timestamp = int(now)
        body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
    return Request(url, _json(body), {"Content-Type": "application/json"})


def webhook(msg: Message, *, url: str, secret: str, now: float) -> Request:
    body = _json(
        {
            "title": msg.title,
            "text": msg.text,
            "url": msg.url,
            "org": msg.org,
            "source": msg.source,
            "sent_at": int(now),
        }
    )
    headers = {"Content-Type": "application/json"}
    if secret:
        timestamp = int(now)
        headers["X-Dangjian-Timestamp"] = str(timestamp)
        headers["X-Dangjian-Signature"] = webhook_sign(secret, timestamp, body)
    return Request(url, body, headers)


BUILDERS = {
    "wecom_robot": wecom_robot,
    "dingtalk_robot": dingtalk_robot,
    "feishu_bot": feishu_bot,
    "webhook": webhook,
}


def answer_error(kind: str, status: int, body: bytes) -> str:
    """Why the receiver refused the message ("" when it took it). Robots answer HTTP 200
    with an error code in the body, so the body is read, not only the status."""
    if not 200 <= status < 300:
        return f"HTTP {status}"
    if kind not in ("wecom_robot", "dingtalk_robot", "feishu_bot"):
        return ""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return "应答不是 JSON"
    if not isinstance(data, dict):
        return "应答不是 JSON 对象"
    code = data.get("errcode", data.get("code", data.get("StatusCode", 0)))
    if code in (0, "0", None):
        return ""
    detail = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
    return f"错误码 {code}：{detail}"[:300]


_SECRETISH = re.compile(r"[A-Za-z0-9_\-]{12,}")


def _mask_token(value: str) -> str:
    return value[:4] + "…" + value[-4:] if len(value) > 10 else "…"


def mask_url(url: str) -> str:
    """An address as it may be shown: query values and long path segments (a robot's key or
    token) masked to their first and last four characters."""
    if "@" in url and "://" not in url:  # a mailbox
        return url
    parts = urlsplit(url)
    path = "/".join(
        _mask_token(seg) if _SECRETISH.fullmatch(seg) and len(seg) >= 16 else seg
        for seg in parts.path.split("/")
    )
    query = "&".join(
        f"{k}={_mask_token(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit(parts._replace(path=path, query=query))[:300]


def mask_secret(secret: str) -> str:
    return f"{secret[:3]}…（共 {len(secret)} 位）" if secret else ""
