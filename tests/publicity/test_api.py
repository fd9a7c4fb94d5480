"""The publicity API's contract: notices, articles and their DSC-1 steps (422 for the author
reviewing or approving, 409 out of order), public articles without a token."""

from __future__ import annotations

import pytest

from dangjian.publicity.models import Article, Notice, Status
from tests.factories import give_role, make_user
from tests.publicity.conftest import make_article, published_article, staff_trio

pytestmark = pytest.mark.django_db


def post(client, url, data=None, **headers):
    return client.post(url, data=data or {}, content_type="application/json", headers=headers)


def test_notice_create_and_list(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/notices",
        {"title": "支部大会通知", "body": "周五下午召开", "org": world.a.pk},
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["title"] == "支部大会通知" and body["org_name"] == world.a.name
    listed = api_for(world.user("member_a")).get("/api/v1/notices").json()
    assert set(listed) == {"count", "page", "page_size", "results"}
    assert [n["id"] for n in listed["results"]] == [body["id"]]
    assert api_for(world.user("sec_b")).get("/api/v1/notices").json()["count"] == 0


def test_notice_retried_with_idempotency_key_records_once(world, api_for):
    client = api_for(world.user("sec_a"))
    data = {"title": "通知", "body": "正文", "org": world.a.pk}
    first = post(client, "/api/v1/notices", data, **{"Idempotency-Key": "n-1"})
    second = post(client, "/api/v1/notices", data, **{"Idempotency-Key": "n-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Notice.objects.count() == 1


def test_notice_to_other_branch_is_404(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/notices",
        {"title": "x", "body": "y", "org": world.b.pk},
    )
    assert resp.status_code == 404


def test_notice_with_bad_input_is_422_in_chinese(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/notices",
        {"title": "  ", "body": "y", "org": world.a.pk},
    )
    assert resp.status_code == 422
    assert "标题" in resp.json()["detail"]


def test_article_workflow_through_the_api(world, api_for):
    writer, reviewer, approver = staff_trio(world)
    resp = post(
        api_for(writer),
        "/api/v1/articles",
        {"title": "动态", "body": "<p>正文</p>", "scope": "public", "org": world.c1.pk},
    )
    assert resp.status_code == 201
    assert resp.json() == {"id": resp.json()["id"], "status": "draft"}
    pk = resp.json()["id"]
    base = f"/api/v1/articles/{pk}"
    assert post(api_for(approver), f"{base}/approve").status_code == 409
    assert post(api_for(writer), f"{base}/submit").json()["status"] == "submitted"
    assert post(api_for(writer), f"{base}/submit").status_code == 409
    own = post(api_for(writer), f"{base}/review", {"approve": True, "secrecy_checked": True})
    assert own.status_code == 422
    no_secrecy = post(api_for(reviewer), f"{base}/review", {"approve": True})
    assert no_secrecy.status_code == 422
    ok = post(api_for(reviewer), f"{base}/review", {"approve": True, "secrecy_checked": True})
    assert ok.json()["status"] == "reviewed" and ok.json()["secrecy_checked"] is True
    assert post(api_for(writer), f"{base}/approve").status_code == 422
    assert post(api_for(reviewer), f"{base}/approve").status_code == 422
    done = post(api_for(approver), f"{base}/approve")
    assert done.status_code == 200 and done.json()["status"] == "published"
    public = api_for(None).get("/api/v1/public/articles").json()
    assert [a["id"] for a in public["results"]] == [pk]


def test_public_articles_list_only_published_public_ones(world, api_for):
    trio = staff_trio(world)
    shown = published_article(world, scope="public", title="公开的", trio=trio)
    published_article(world, scope="party", title="党内的", trio=trio)
    make_article(world.c1, scope="public", title="草稿")
    resp = api_for(None).get("/api/v1/public/articles")
    assert resp.status_code == 200
    assert [a["title"] for a in resp.json()["results"]] == ["公开的"]
    assert api_for(None).get(f"/api/v1/public/articles/{shown.pk}").status_code == 200
    hidden = Article.objects.exclude(pk=shown.pk).first()
    assert api_for(None).get(f"/api/v1/public/articles/{hidden.pk}").status_code == 404


def test_public_articles_are_rate_limited(world, api_for, settings, fresh_rate_limits):
    settings.PUBLIC_READS_PER_MINUTE = 2
    client = api_for(None)
    codes = [client.get("/api/v1/public/articles").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_article_in_other_branch_is_404(world, api_for):
    article = make_article(world.b)
    for step in ("submit", "approve"):
        assert (
            post(api_for(world.user("sec_a")), f"/api/v1/articles/{article.pk}/{step}").status_code
            == 404
        )
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_withdraw_needs_reason(world, api_for):
    trio = staff_trio(world)
    article = published_article(world, trio=trio)
    client = api_for(trio[2])
    assert (
        post(client, f"/api/v1/articles/{article.pk}/withdraw", {"reason": ""}).status_code == 422
    )
    resp = post(client, f"/api/v1/articles/{article.pk}/withdraw", {"reason": "数据有误"})
    assert resp.json()["status"] == "withdrawn" and resp.json()["withdraw_reason"] == "数据有误"


def test_member_cannot_write_articles(world, api_for):
    resp = post(
        api_for(world.user("member_a")),
        "/api/v1/articles",
        {"title": "x", "body": "y", "scope": "org", "org": world.a.pk},
    )
    assert resp.status_code == 404


def test_reviewer_from_another_committee_sees_404(world, api_for):
    writer, _, _ = staff_trio(world)
    article = make_article(world.c1, author=writer)
    post(api_for(writer), f"/api/v1/articles/{article.pk}/submit")
    outsider = make_user("c2_staff")
    give_role(outsider, world.c2, "publicity")
    resp = post(
        api_for(outsider),
        f"/api/v1/articles/{article.pk}/review",
        {"approve": True, "secrecy_checked": True},
    )
    assert resp.status_code == 404


def test_disclosure_through_the_api(world, api_for):
    writer, reviewer, approver = staff_trio(world)
    resp = post(
        api_for(writer), "/api/v1/disclosures", {"org": world.a.pk, "year": 2026, "scope": "public"}
    )
    assert resp.status_code == 201
    body = resp.json()
    assert [i["kind"] for i in body["items"]] == [
        "plan",
        "life",
        "development",
        "dues",
        "elections",
    ]
    again = post(api_for(writer), "/api/v1/disclosures", {"org": world.a.pk, "year": 2026})
    assert again.status_code == 409
    base = f"/api/v1/disclosures/{body['id']}"
    added = post(api_for(writer), f"{base}/items", {"title": "主题教育", "content": "开展情况"})
    assert added.status_code == 201 and len(added.json()["items"]) == 6
    post(api_for(writer), f"{base}/submit")
    assert post(api_for(writer), f"{base}/items", {"title": "x", "content": "y"}).status_code == 409
    post(api_for(reviewer), f"{base}/review", {"approve": True, "secrecy_checked": True})
    done = post(api_for(approver), f"{base}/approve").json()
    assert done["status"] == "published"
    assert all(i["published_scope"] == "public" for i in done["items"])


def test_role_models_read_and_review_through_the_api(world, api_for):
    from tests.publicity.conftest import make_role_model

    writer, reviewer, _ = staff_trio(world)
    item = make_role_model(world.a, world.members_a[1], author=writer)
    base = f"/api/v1/role-models/{item.pk}"
    post(api_for(writer), f"{base}/submit")
    assert (
        post(
            api_for(writer), f"{base}/review", {"approve": True, "secrecy_checked": True}
        ).status_code
        == 422
    )
    ok = post(api_for(reviewer), f"{base}/review", {"approve": True, "secrecy_checked": True})
    assert ok.json()["status"] == "reviewed" and ok.json()["member_name"] == "李四"
    listed = api_for(world.user("sec_a")).get("/api/v1/role-models").json()
    assert [r["id"] for r in listed["results"]] == [item.pk]
    assert api_for(world.user("member_a")).get(base).status_code == 404  # not yet published


def test_role_model_written_through_the_api_once_per_key(world, api_for):
    writer, _, _ = staff_trio(world)
    body = {
        "org": world.a.pk,
        "member": world.members_a[1].pk,
        "title": "扎根基层的老黄牛",
        "deeds": "<p>三十年如一日<script>alert(1)</script></p>",
        "honour": "优秀共产党员",
        "consent_on": "2026-11-20",
        "consent_note": "书面同意书存档",
    }
    client = api_for(writer)
    resp = post(client, "/api/v1/role-models", body, **{"Idempotency-Key": "rm-1"})
    assert resp.status_code == 201 and resp.json()["status"] == "draft", resp.content
    again = post(client, "/api/v1/role-models", body, **{"Idempotency-Key": "rm-1"})
    assert again.status_code == 201 and again.json() == resp.json()
    detail = client.get(f"/api/v1/role-models/{resp.json()['id']}").json()
    assert detail["member_name"] == "李四" and "<script>" not in detail["deeds"]
    # The member must belong to the org (the committee's writer reaches branch B too).
    elsewhere = post(client, "/api/v1/role-models", {**body, "member": world.members_b[0].pk})
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "member"
    outside = {**body, "org": world.b.pk, "member": world.members_b[0].pk}
    assert post(api_for(world.user("sec_a")), "/api/v1/role-models", outside).status_code == 404
    no_consent = {k: v for k, v in body.items() if k != "consent_on"}
    assert post(client, "/api/v1/role-models", no_consent).status_code == 422
    member = api_for(world.user("member_a"))
    assert post(member, "/api/v1/role-models", body).status_code in (403, 404)
