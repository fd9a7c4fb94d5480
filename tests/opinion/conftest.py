"""A feed served on loopback for the fetcher's tests, and helpers that build through the
services."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dangjian.opinion import services
from tests.factories import SYSTEM

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>市政府门户</title>
<item><title>市财政局公布2027年部门预算</title><link>https://news.example.cn/a/1</link>
<description>&lt;p&gt;市财政局今日公布部门预算，群众关注三公经费。&lt;/p&gt;</description>
<pubDate>Mon, 30 Nov 2026 09:00:00 +0800</pubDate></item>
<item><title>财政局招聘公告</title><link>https://news.example.cn/a/2</link>
<description>财政局公开招聘工作人员。</description></item>
<item><title>今日天气晴</title><link>https://news.example.cn/a/3</link>
<description>全市天气晴好。</description></item>
</channel></rss>"""


class FeedServer:
    """Serves ``body`` at /feed.xml with an ETag and Last-Modified; answers 304 to a
    conditional request that matches. Records the request headers it saw."""

    def __init__(self):
        self.body = FEED.encode()
        self.etag = '"v1"'
        self.last_modified = "Mon, 30 Nov 2026 01:00:00 GMT"
        self.seen: list[dict] = []
        self.redirect_to = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.seen.append(dict(self.headers))
                if self.path == "/jump" and server.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", server.redirect_to)
                    self.end_headers()
                    return
                if self.path != "/feed.xml":
                    self.send_response(404)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", server.last_modified)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.xml"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def allow_private(settings):
    settings.OPINION_ALLOW_PRIVATE_HOSTS = True
    return settings


def make_source(org, url="https://news.example.cn/rss.xml", name="市政府门户"):
    return services.source_create(actor=SYSTEM, org=org, name=name, url=url)


def make_keywords(org, words=("财政", "预算"), exclude=("招聘",), synonyms=None):
    return services.keyword_set_create(
        actor=SYSTEM, org=org, words=list(words), exclude=list(exclude), synonyms=synonyms or {}
    )


def make_item(
    org, title="市财政局预算公开遭质疑", summary="网民质疑预算公开不及时", channel="12345 热线"
):
    return services.item_create(
        actor=SYSTEM, org=org, title=title, summary=summary, channel=channel
    )


def make_case(item, level="general", analysis="涉及预算公开，须及时回应"):
    return services.case_open(actor=SYSTEM, item=item, level=level, analysis=analysis)
