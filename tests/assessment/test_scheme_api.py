"""The assessment API contract (issue 13 part 7): schemes, results, scores and review."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def scheme_body(world, **extra):
    return {
        "title": "年度考核",
        "year": YEAR,
        "org": world.w.pk,
        "target_kind": "branch",
        "indicators": [
            {
                "code": "A1",
                "title": "三会一课",
                "max_score": 30,
                "method": "auto",
                "metric": "rule:MTG-3",
            },
            {"code": "A2", "title": "特色工作", "max_score": 20, "method": "manual"},
        ],
    } | extra


def test_create_publish_score_review_and_results(world, api_for):
    wc = api_for(world.user("wc_admin"))
    resp = wc.post(
        "/api/v1/assessment/schemes", scheme_body(world), content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    scheme = resp.json()
    assert [i["code"] for i in scheme["indicators"]] == ["A1", "A2"]
    sid = scheme["id"]
    assert (
        wc.post(
            f"/api/v1/assessment/schemes/{sid}/publish", {}, content_type="application/json"
        ).status_code
        == 200
    )
    resp = wc.post(
        "/api/v1/assessment/scores",
        {"scheme": sid, "indicator": "A2", "org": world.a.pk, "score": 18, "comment": "好"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    score_id = resp.json()["id"]
    resp = wc.post(
        f"/api/v1/assessment/scores/{score_id}/review", {}, content_type="application/json"
    )
    assert resp.status_code == 422 and "不同" in resp.json()["detail"]
    admin = api_for(world.user("admin"))
    resp = admin.post(
        f"/api/v1/assessment/scores/{score_id}/review", {}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["status"] == "reviewed"
    results = wc.get(f"/api/v1/assessment/schemes/{sid}/results").json()["results"]
    row = next(r for r in results if r["org"] == world.a.pk)
    statuses = {s["indicator"]: s["status"] for s in row["scores"]}
    assert statuses["A2"] == "reviewed"
    assert statuses["A1"] in ("auto", "missing")
    assert set(row) >= {"org", "total", "complete", "scores"}
    other = next(r for r in results if r["org"] == world.b.pk)
    a2 = next(s for s in other["scores"] if s["indicator"] == "A2")
    assert a2 == a2 | {"status": "missing", "score": None, "value": None}
    assert other["complete"] is False


def test_ant2_refusal_is_422_citing_the_rule(world, api_for):
    body = scheme_body(world)
    body["indicators"][0] |= {"metric": "learning:study_time", "title": "学习情况"}
    resp = api_for(world.user("wc_admin")).post(
        "/api/v1/assessment/schemes", body, content_type="application/json"
    )
    assert resp.status_code == 422
    assert "ANT-2" in resp.json()["detail"] and resp.json().get("rule") == "ANT-2"


def test_an_automatic_value_cannot_be_scored_by_hand(world, api_for):
    wc = api_for(world.user("wc_admin"))
    sid = wc.post(
        "/api/v1/assessment/schemes", scheme_body(world), content_type="application/json"
    ).json()["id"]
    wc.post(f"/api/v1/assessment/schemes/{sid}/publish", {}, content_type="application/json")
    resp = wc.post(
        "/api/v1/assessment/scores",
        {"scheme": sid, "indicator": "A1", "org": world.a.pk, "score": 30, "comment": ""},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "自动指标" in resp.json()["detail"]


def test_a_scheme_of_an_org_out_of_reach_is_404(world, api_for):
    resp = api_for(world.user("sec_a")).post(
        "/api/v1/assessment/schemes",
        scheme_body(world, org=world.b.pk),
        content_type="application/json",
    )
    assert resp.status_code == 404


def test_a_scoring_org_sees_the_scheme_and_scores_its_targets_only(world, api_for):
    body = scheme_body(world)
    body["indicators"][1]["scoring_org"] = world.c1.pk
    wc = api_for(world.user("wc_admin"))
    sid = wc.post("/api/v1/assessment/schemes", body, content_type="application/json").json()["id"]
    wc.post(f"/api/v1/assessment/schemes/{sid}/publish", {}, content_type="application/json")
    c1 = api_for(world.user("c1_admin"))
    assert c1.get(f"/api/v1/assessment/schemes/{sid}").status_code == 200
    score = {"scheme": sid, "indicator": "A2", "score": 10, "comment": ""}
    resp = c1.post(
        "/api/v1/assessment/scores", score | {"org": world.a.pk}, content_type="application/json"
    )
    assert resp.status_code == 201
    resp = c1.post(
        "/api/v1/assessment/scores", score | {"org": world.d.pk}, content_type="application/json"
    )
    assert resp.status_code == 422  # branch D is outside 市财政局机关党委
    # Branch A reads the scheme it is assessed by, and scores nothing in it.
    sec_a = api_for(world.user("sec_a"))
    assert sec_a.get(f"/api/v1/assessment/schemes/{sid}").status_code == 200
    resp = sec_a.post(
        "/api/v1/assessment/scores", score | {"org": world.a.pk}, content_type="application/json"
    )
    assert resp.status_code in (403, 422)
