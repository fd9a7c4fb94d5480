"""The scope matrix: every URL pattern and every API operation, as every kind of user.

Derived from the URL resolver and the OpenAPI schema, never from a hand list, so a new
page or endpoint is covered the day it is added. Path parameters are filled from
``scope_objects(world)`` of each ``tests/<app>/scope.py`` (plus the backbone's own below):
an (inside, outside) pair per parameter name, "inside" belonging to branch A (within the
reach of sec_a and member_a), "outside" to branch B (under C1, outside their reach).

What it proves:
- anonymous: pages redirect to the login page, API answers 401;
- sec_a and member_a: every page and endpoint on a branch-B object answers exactly what a
  nonexistent id answers (404 for pages and reads), and writes change nothing;
- sec_a reaches branch-A objects; c1_admin and admin reach branch-B objects;
- pages shown to sec_a never name a member outside sec_a's reach; lists filtered by an
  org outside reach answer 404;
- need to know: peer_a, a plain member of branch A, on every page and endpoint whose path
  parameters have need-to-know objects (``need_to_know_objects(world)`` of a
  ``tests/<app>/scope.py``: objects of branch A that are not his to read, e.g. a 谈心谈话
  of two others) gets exactly what a nonexistent id gives, writes nothing, and no page or
  list shown to him contains their text (``NEED_TO_KNOW_TEXTS``); sec_a reaches them.

API writes send a valid body (``write_payloads(world)`` of a ``tests/<app>/scope.py``: one
per operation, keyed by method and path, as NetBox's ``form_data``), so the view runs and
the gate answers, not the body's validation (422 before the view, for any id). An
operation with a path parameter and a body (or a required query parameter) and no payload
declared fails the matrix. On an object out of reach the answer must be 404, as for a
missing id, and no row of any table may change (``fingerprint``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.api.api import api
from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Position

pytestmark = pytest.mark.django_db

MISSING = 999_999_999
# Pages and operations open to anonymous users (and those a tests/<app>/scope.py declares
# public: the portal's, whose own tests prove it shows only public items).
PUBLIC_PAGES = {"accounts:login", "core:healthz"}
PUBLIC_API = {("POST", "/api/v1/auth/token")}
# Members outside the reach of sec_a and member_a (branches B and D of the world fixture).
OUTSIDE_NAMES = ["钱七", "孙八", "周九", "吴十"]


def backbone_objects(world) -> dict:
    pos_a = Position.objects.get(org=world.a, user=world.user("sec_a"))
    pos_b = Position.objects.get(org=world.b, user=world.user("sec_b"))
    return {
        "org_id": (world.a.pk, world.b.pk),
        "member_id": (world.members_a[2].pk, world.members_b[1].pk),
        "position_id": (pos_a.pk, pos_b.pk),
    }


def all_scope_objects(world) -> dict:
    objects = backbone_objects(world)
    owner = dict.fromkeys(objects, "the backbone")
    for module in scope_modules():
        if not hasattr(module, "scope_objects"):
            continue
        for key, value in module.scope_objects(world).items():
            value = value if isinstance(value, tuple) else (value, value)
            # One URL parameter name means one kind of object: two apps giving different objects
            # for the same name would test one app's URLs with the other's ids.
            assert objects.get(key, value) == value, (
                f"URL parameter {key!r} names objects of {owner[key]} and {module.__name__}: "
                "give one of them its own name"
            )
            objects[key] = value
            owner.setdefault(key, module.__name__)
    return objects


def scope_modules():
    tests_dir = Path(__file__).parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if info.ispkg and (tests_dir / info.name / "scope.py").exists():
            yield importlib.import_module(f"tests.{info.name}.scope")


def public_names(attr: str, base: set) -> set:
    """The pages or operations open to anonymous users: the backbone's and those a
    ``tests/<app>/scope.py`` declares (``PUBLIC_PAGES`` / ``PUBLIC_API``: a public portal)."""
    names = set(base)
    for module in scope_modules():
        names |= set(getattr(module, attr, ()))
    return names


def need_to_know(world) -> tuple[dict, list[str]]:
    """(param -> branch-A object peer_a may not read, texts he must never be shown)."""
    objects, texts = {}, []
    for module in scope_modules():
        if hasattr(module, "need_to_know_objects"):
            objects |= module.need_to_know_objects(world)
            texts += list(getattr(module, "NEED_TO_KNOW_TEXTS", ()))
    return objects, texts


def url_patterns():
    """(name, kwarg names) for every named URL pattern except the API's own."""

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if "api" in (p.namespace or "") or str(p.pattern).startswith("api/"):
                    continue
                ns = (
                    f"{namespace}:{p.namespace}"
                    if namespace and p.namespace
                    else (p.namespace or namespace)
                )
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield name, tuple(sorted(p.pattern.regex.groupindex))

    return sorted(set(walk(get_resolver().url_patterns, "")))


def api_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            yield method.upper(), path, params, query


def body_kind(method: str, path: str) -> str | None:
    """What the operation reads besides its path: "json", "multipart", "query" (a required
    query parameter) or None (nothing: validation cannot answer before the view)."""
    op = api.get_openapi_schema()["paths"][path][method.lower()]
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return "multipart"
    if content:
        return "json"
    if any(p["in"] == "query" and p.get("required") for p in op.get("parameters", [])):
        return "query"
    return None


def write_payloads(world) -> dict:
    """(METHOD, path) -> a valid body for that write, from every ``tests/<app>/scope.py``."""
    payloads = {}
    for module in scope_modules():
        if hasattr(module, "write_payloads"):
            payloads |= module.write_payloads(world)
    return payloads


def payload_for(payloads, method, path):
    kind = body_kind(method, path)
    if kind is None:
        return None, None
    if (method, path) not in payloads:
        raise AssertionError(
            f"{method} {path} takes a path parameter and a body but no payload is declared: "
            "add a valid one to write_payloads() in tests/<app>/scope.py"
        )
    return kind, payloads[(method, path)]


def send_write(client, method, target, kind, payload):
    """Send a write with its declared payload (files are rebuilt: an upload is read once)."""
    call = getattr(client, method.lower())
    if kind == "multipart":
        data = {
            k: SimpleUploadedFile(v[0], v[1]) if isinstance(v, tuple) else v
            for k, v in payload.items()
        }
        return client.post(target, data=data)
    if kind == "query":
        return call(target + "?" + "&".join(f"{k}={v}" for k, v in payload.items()))
    if kind == "json":
        return call(target, data=payload, content_type="application/json")
    return call(target, content_type="application/json")


def fingerprint() -> dict:
    """Rows per table, highest id, latest change: any insert, delete or saved update shows."""
    prints = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        aggregates = {"n": Count("pk")}
        if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}:
            aggregates["top"] = Max("pk")  # PostgreSQL has no max(uuid): numeric ids only
        if "updated_at" in fields:
            aggregates["changed"] = Max("updated_at")
        prints[model._meta.label] = model._base_manager.aggregate(**aggregates)
    return prints


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before if before[k] != after[k])


def fill(route_kwargs, objects, side):
    values = {}
    for name in route_kwargs:
        if name not in objects:
            raise AssertionError(
                f"URL parameter {name!r} has no test objects: add it to scope_objects() in "
                "tests/<app>/scope.py"
            )
        values[name] = objects[name][side]
    return values


def differs(route_kwargs, objects) -> bool:
    return any(objects[k][0] != objects[k][1] for k in route_kwargs)


def missing_kwargs(route_kwargs, objects):
    return {k: (MISSING if objects[k][0] != objects[k][1] else objects[k][0]) for k in route_kwargs}


def test_pages(world, client_for):
    objects = all_scope_objects(world)
    clients = {
        name: client_for(world.user(name)) for name in ["admin", "c1_admin", "sec_a", "member_a"]
    }
    anonymous = client_for(None)
    public = public_names("PUBLIC_PAGES", PUBLIC_PAGES)
    problems = []
    for name, kwargs in url_patterns():
        inside = reverse(name, kwargs=fill(kwargs, objects, 0))
        outside = reverse(name, kwargs=fill(kwargs, objects, 1))
        if name not in public:
            resp = anonymous.get(inside)
            if not (
                resp.status_code in (404, 405)
                or (resp.status_code == 302 and resp["Location"].startswith("/accounts/login"))
            ):
                problems.append(f"anonymous GET {inside}: {resp.status_code}")
        resp = clients["sec_a"].get(inside)
        if resp.status_code == 404 and kwargs:
            problems.append(f"sec_a GET own {inside}: 404")
        if resp.status_code == 200 and resp.get("Content-Type", "").startswith("text/html"):
            body = resp.content.decode()
            leaked = [n for n in OUTSIDE_NAMES if n in body]
            if leaked:
                problems.append(f"sec_a GET {inside} shows {leaked}")
        if kwargs and differs(kwargs, objects):
            ghost_url = reverse(name, kwargs=missing_kwargs(kwargs, objects))
            for who in ("sec_a", "member_a"):
                before = AuditEntry.objects.count()
                for method in ("get", "post"):
                    resp = getattr(clients[who], method)(outside)
                    ghost = getattr(clients[who], method)(ghost_url)
                    # 404, or 405 for a method the page never accepts: the same answer as
                    # for an id that does not exist, so nothing tells that it exists.
                    if resp.status_code not in (404, 405) or (
                        resp.status_code != ghost.status_code
                    ):
                        problems.append(
                            f"{who} {method.upper()} other branch {outside}: {resp.status_code}"
                        )
                if AuditEntry.objects.count() != before:
                    problems.append(f"{who} POST {outside} wrote to the audit log")
            for who in ("c1_admin", "admin"):
                resp = clients[who].get(outside)
                if resp.status_code == 404:
                    problems.append(f"{who} GET {outside}: 404 but it is in reach")
    assert not problems, "\n".join(problems)


def test_api_operations(world, api_for):
    objects = all_scope_objects(world)
    payloads = write_payloads(world)
    clients = {
        name: api_for(world.user(name)) for name in ["admin", "c1_admin", "sec_a", "member_a"]
    }
    anonymous = api_for(None)
    public = public_names("PUBLIC_API", PUBLIC_API)
    problems = []
    for method, path, params, query in api_operations():

        def url(side, path=path, params=params):
            values = (
                missing_kwargs(params, objects)
                if side == "missing"
                else fill(params, objects, side)
            )
            return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)

        call = {"GET": "get", "POST": "post", "PATCH": "patch", "PUT": "put", "DELETE": "delete"}[
            method
        ]
        if (method, path) not in public:
            resp = (
                getattr(anonymous, call)(url(0), content_type="application/json", data="{}")
                if method != "GET"
                else anonymous.get(url(0))
            )
            if resp.status_code != 401:
                problems.append(f"anonymous {method} {path}: {resp.status_code}")

        kind, payload = (None, None)
        if method != "GET" and params:
            kind, payload = payload_for(payloads, method, path)

        def send(client, target, method=method, kind=kind, payload=payload):
            if method == "GET":
                return client.get(target)
            return send_write(client, method, target, kind, payload)

        if params and differs(params, objects):
            for who in ("sec_a", "member_a"):
                before = fingerprint()
                resp = send(clients[who], url(1))
                ghost = send(clients[who], url("missing"))
                if resp.status_code != 404 or ghost.status_code != 404:
                    problems.append(
                        f"{who} {method} {url(1)}: {resp.status_code}, expected 404 "
                        f"(a missing id gives {ghost.status_code})"
                    )
                changed = changed_tables(before, fingerprint())
                if changed:
                    problems.append(f"{who} {method} {url(1)} changed {changed}")
            if method == "GET":
                if send(clients["sec_a"], url(0)).status_code == 404:
                    problems.append(f"sec_a GET own {url(0)}: 404")
                for who in ("c1_admin", "admin"):
                    if send(clients[who], url(1)).status_code == 404:
                        problems.append(f"{who} GET {url(1)}: 404 but it is in reach")
        if method == "GET" and "org" in query and not params:
            resp = clients["sec_a"].get(path.replace("/api/v1", "/api/v1", 1), {"org": world.b.pk})
            if resp.status_code != 404:
                problems.append(f"sec_a GET {path}?org=<other branch>: {resp.status_code}")
        if method == "GET" and not params:
            resp = clients["sec_a"].get(path)
            if resp.status_code == 200 and "json" in resp.get("Content-Type", ""):
                leaked = [n for n in OUTSIDE_NAMES if n in resp.content.decode()]
                if leaked:
                    problems.append(f"sec_a GET {path} shows {leaked}")
    assert not problems, "\n".join(problems)


def test_pages_need_to_know(world, client_for):
    hidden, texts = need_to_know(world)
    assert hidden and texts, "no need-to-know objects: tests/meetings/scope.py gives them"
    peer, sec_a = client_for(world.user("peer_a")), client_for(world.user("sec_a"))
    problems, walked = [], 0
    for name, kwargs in url_patterns():
        if not kwargs:
            resp = peer.get(reverse(name))
            html = resp.status_code == 200 and "text/" in resp.get("Content-Type", "")
            body = resp.content.decode() if html else ""
            if any(t in body for t in texts):
                problems.append(f"peer_a GET {reverse(name)} shows a need-to-know text")
            continue
        if not all(k in hidden for k in kwargs):
            continue
        walked += 1
        target = reverse(name, kwargs={k: hidden[k] for k in kwargs})
        ghost_url = reverse(name, kwargs={k: MISSING for k in kwargs})
        before = AuditEntry.objects.count()
        for method in ("get", "post"):
            resp, ghost = getattr(peer, method)(target), getattr(peer, method)(ghost_url)
            if resp.status_code not in (404, 405) or resp.status_code != ghost.status_code:
                problems.append(f"peer_a {method.upper()} {target}: {resp.status_code}")
        if AuditEntry.objects.count() != before:
            problems.append(f"peer_a POST {target} wrote to the audit log")
        if sec_a.get(target).status_code == 404:
            problems.append(f"sec_a GET {target}: 404 but it is in reach")
    assert walked, "no page takes a need-to-know parameter"
    assert not problems, "\n".join(problems)


def test_api_need_to_know(world, api_for):
    hidden, texts = need_to_know(world)
    peer, sec_a = api_for(world.user("peer_a")), api_for(world.user("sec_a"))
    problems, walked = [], 0
    payloads = write_payloads(world)
    for method, path, params, _query in api_operations():
        kind, payload = (None, None)
        if method != "GET" and params:
            kind, payload = payload_for(payloads, method, path)

        def send(client, target, method=method, kind=kind, payload=payload):
            if method == "GET":
                return client.get(target)
            return send_write(client, method, target, kind, payload)

        if not params:
            if method == "GET":
                resp = peer.get(path)
                json_ok = resp.status_code == 200 and "json" in resp.get("Content-Type", "")
                body = resp.content.decode() if json_ok else ""
                if any(t in body for t in texts):
                    problems.append(f"peer_a GET {path} shows a need-to-know text")
            continue
        if not all(p in hidden for p in params):
            continue
        walked += 1
        target = re.sub(r"{(\w+)}", lambda m: str(hidden[m.group(1)]), path)
        ghost_url = re.sub(r"{(\w+)}", str(MISSING), path)
        before = fingerprint()
        resp, ghost = send(peer, target), send(peer, ghost_url)
        if resp.status_code != 404 or ghost.status_code != 404:
            problems.append(
                f"peer_a {method} {target}: {resp.status_code}, expected 404 "
                f"(missing id: {ghost.status_code})"
            )
        changed = changed_tables(before, fingerprint())
        if changed:
            problems.append(f"peer_a {method} {target} changed {changed}")
        if method == "GET" and send(sec_a, target).status_code == 404:
            problems.append(f"sec_a GET {target}: 404 but it is in reach")
    assert walked, "no API operation takes a need-to-know parameter"
    assert not problems, "\n".join(problems)


def test_every_api_operation_is_walked():
    ops = list(api_operations())
    assert ("POST", "/api/v1/auth/token", [], []) in [(m, p, a, []) for m, p, a, _ in ops]
    assert any(p == "/api/v1/members/{member_id}" for _, p, _, _ in ops)
