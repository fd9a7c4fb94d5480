"""A local stand-in HTTP server for outside services (robots' webhooks, OAuth providers),
started by a test on 127.0.0.1 at a free port. It records every request and answers what the
test told it per path (a JSON body, a status), or 404.

    with StandIn() as standin:
        standin.answer("/hook", {"errcode": 0, "errmsg": "ok"})
        ... settings / channel URL = standin.url("/hook") ...
        assert standin.requests[0].json["msgtype"] == "markdown"
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class Answer:
    body: object
    status: int = 200


@dataclass
class StandIn:
    requests: list[Seen] = field(default_factory=list)
    answers: dict[str, list[Answer]] = field(default_factory=dict)

    def answer(self, path: str, *bodies, status: int = 200) -> None:
        """Answer ``path`` with ``bodies`` in turn (the last one from then on)."""
        self.answers[path] = [Answer(b, status) for b in bodies]

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def of(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                standin.requests.append(
                    Seen(
                        self.command,
                        parts.path,
                        {k: v[-1] for k, v in parse_qs(parts.query).items()},
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                queue = standin.answers.get(parts.path)
                if not queue:
                    self.send_response(404)
                    self.end_headers()
                    return
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                data = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
