"""Download one feed, safely: the host is resolved and every address checked (no private,
loopback, link-local, multicast or reserved address unless ``OPINION_ALLOW_PRIVATE_HOSTS``),
the connection goes to the address that was checked (no second lookup a DNS rebinding could
answer differently), redirects are followed by hand and checked the same way, every socket
operation has ``OPINION_FETCH_TIMEOUT`` and the whole download a deadline, and the body is
cut at ``OPINION_FETCH_MAX_BYTES``. Conditional requests: ``If-None-Match`` /
``If-Modified-Since`` from what the server sent last time; 304 means nothing new.

Parsing is feedparser's, on the bytes we downloaded (it never fetches by itself here)."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from dangjian.core.errors import DomainError

USER_AGENT = "dangjian-opinion/1 (+feed reader)"


class FetchError(DomainError):
    """The feed could not be fetched; the message says why, in Chinese."""


@dataclass
class Download:
    status: int  # 200 or 304
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    url: str = ""  # after redirects


def address_allowed(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    )


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or ``FetchError``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("订阅地址格式不正确", field="url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("订阅地址须以 http:// 或 https:// 开头", field="url")
    if parts.username or parts.password:
        raise FetchError("订阅地址不能包含用户名或密码", field="url")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> str:
    """One checked address of ``host``: every address it resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"无法解析主机 {host}，请检查订阅地址", field="url") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"无法解析主机 {host}", field="url")
    if not settings.OPINION_ALLOW_PRIVATE_HOSTS:
        refused = [a for a in addresses if not address_allowed(a)]
        if refused:
            raise FetchError(
                f"订阅地址指向内网或本机地址（{refused[0]}），出于安全原因不予抓取", field="url"
            )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def download(url: str, *, etag: str = "", last_modified: str = "") -> Download:
    timeout = settings.OPINION_FETCH_TIMEOUT
    limit = settings.OPINION_FETCH_MAX_BYTES
    deadline = time.monotonic() + timeout * 3
    for _hop in range(settings.OPINION_FETCH_MAX_REDIRECTS + 1):
        scheme, host, port = check_url(url)
        ip = resolve(host, port)
        conn_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        conn = conn_class(host, port, ip, timeout)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location") or ""
                if not location:
                    raise FetchError("订阅地址返回了无目标的跳转")
                url = urljoin(url, location)
                continue
            if resp.status == 304:
                return Download(304, etag=etag, last_modified=last_modified, url=url)
            if resp.status != 200:
                raise FetchError(f"订阅地址返回 HTTP {resp.status}，未能取得内容")
            length = resp.getheader("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"订阅内容过大（超过 {limit // 1024} KB），未予抓取")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError("抓取超时，请稍后再试")
                chunk = resp.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"订阅内容过大（超过 {limit // 1024} KB），未予抓取")
                chunks.append(chunk)
            return Download(
                200,
                b"".join(chunks),
                etag=(resp.getheader("ETag") or "")[:300],
                last_modified=(resp.getheader("Last-Modified") or "")[:100],
                url=url,
            )
        except TimeoutError:
            raise FetchError("抓取超时，请稍后再试") from None
        except ssl.SSLError:
            raise FetchError("HTTPS 证书校验失败，未予抓取") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"无法连接订阅地址（{type(exc).__name__}）") from None
        finally:
            conn.close()
    raise FetchError("订阅地址跳转次数过多")
