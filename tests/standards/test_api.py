import datetime as dt
import json

import pytest

from dangjian.standards.models import Rule
from tests.standards.helpers import held, local

pytestmark = pytest.mark.django_db


def test_compliance_contract(world, api_for):
    held(world.a, "theme_day", local(2026, 3, 5))
    resp = api_for(world.user("sec_a")).get(
        "/api/v1/compliance", {"org": world.a.pk, "year": 2026, "month": 3}
    )
    assert resp.status_code == 200
    data = resp.json()
    assert set(data["summary"]) >= {"ok", "due", "overdue", "violation", "rate"}
    assert 0.0 <= data["summary"]["rate"] <= 1.0
    theme = [f for f in data["findings"] if f["rule"] == "MTG-6" and f["org"] == world.a.pk]
    assert theme == [
        {
            **theme[0],
            "period": "2026-03",
            "status": "ok",
            "expected": 1,
            "actual": 1,
        }
    ]
    assert "《教育条例》第十六条" in theme[0]["message"]
    first = data["findings"][0]
    assert set(first) >= {"rule", "org", "period", "status", "expected", "actual", "message"}


def test_compliance_counts_match_the_findings(world, api_for):
    data = (
        api_for(world.user("c1_admin"))
        .get("/api/v1/compliance", {"org": world.c1.pk, "year": 2026, "quarter": 1})
        .json()
    )
    statuses = [f["status"] for f in data["findings"]]
    for key in ("ok", "due", "overdue", "violation"):
        assert data["summary"][key] == statuses.count(key)
    assert {f["org"] for f in data["findings"]} <= {
        world.c1.pk,
        world.a.pk,
        world.ga.pk,
        world.b.pk,
    }


def test_compliance_of_another_branch_is_404(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/compliance", {"org": world.b.pk, "year": 2026})
    assert resp.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"year": 2026, "quarter": 5},
        {"year": 2026, "month": 13},
        {"year": 2026, "quarter": 1, "month": 1},
    ],
)
def test_compliance_bad_period_is_422_in_chinese(world, api_for, query):
    resp = api_for(world.user("sec_a")).get("/api/v1/compliance", {"org": world.a.pk, **query})
    assert resp.status_code == 422
    assert resp.json()["detail"] and resp.json()["errors"][0]["field"] in {"quarter", "month"}


def test_compliance_requires_login(world, api_for):
    assert api_for(None).get("/api/v1/compliance", {"year": 2026}).status_code == 401


def test_standards_and_rules_lists(world, api_for):
    client = api_for(world.user("member_a"))
    standards = client.get("/api/v1/standards").json()
    branch = next(s for s in standards if s["short_name"] == "支部条例")
    article = next(a for a in branch["articles"] if a["number"] == "第十二条")
    assert "MTG-3" in article["rules"]
    rules = {r["code"]: r for r in client.get("/api/v1/rules").json()}
    assert rules["MTG-3"]["params"] == {"kind": "board_meeting", "period": "month", "min": 1}
    assert rules["MTG-3"]["checked"] is True and rules["MTG-3"]["period"] == "month"
    assert rules["MTG-5"]["verification"] == "L"


def test_patch_rule_makes_a_version_for_admins_only(world, api_for):
    body = {
        "effective_from": "2027-01-01",
        "change_reason": "改为每月",
        "params": {"kind": "party_lecture", "period": "month", "min": 1},
    }
    denied = api_for(world.user("sec_a")).patch(
        "/api/v1/rules/MTG-5", data=json.dumps(body), content_type="application/json"
    )
    assert denied.status_code == 403
    assert Rule.objects.filter(code="MTG-5").count() == 1
    admin = api_for(world.user("admin"))
    resp = admin.patch(
        "/api/v1/rules/MTG-5", data=json.dumps(body), content_type="application/json"
    )
    assert resp.status_code == 200
    data = resp.json()
    assert (data["version"], data["effective_from"], data["params"]["period"]) == (
        2,
        "2027-01-01",
        "month",
    )
    assert [v["effective_to"] for v in data["versions"]] == ["2027-01-01", None]
    retry = admin.patch(
        "/api/v1/rules/MTG-5", data=json.dumps(body), content_type="application/json"
    )
    assert retry.status_code == 200 and Rule.objects.filter(code="MTG-5").count() == 2
    old = admin.get("/api/v1/rules", {"on": "2026-06-01"}).json()
    assert next(r for r in old if r["code"] == "MTG-5")["params"]["period"] == "quarter"


def test_patch_rule_with_bad_params_is_422(world, api_for):
    resp = api_for(world.user("admin")).patch(
        "/api/v1/rules/MTG-5",
        data=json.dumps(
            {"effective_from": "2027-01-01", "change_reason": "x", "params": {"min": "many"}}
        ),
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["errors"]


def test_unknown_rule_is_404(world, api_for):
    client = api_for(world.user("admin"))
    assert client.get("/api/v1/rules/NOPE-1").status_code == 404
    resp = client.patch(
        "/api/v1/rules/NOPE-1",
        data=json.dumps({"effective_from": str(dt.date(2027, 1, 1))}),
        content_type="application/json",
    )
    assert resp.status_code == 404
