"""Objects for the scope matrix (tests/test_scope_matrix.py): per path parameter, one object
of branch A and one of branch B, made through the services. The public portal's parameters
name one published public item of branch A for both sides: anyone may read it, so there is
no "outside" to test (the portal's scope is tested in tests/publicity/test_public.py)."""

from __future__ import annotations

import datetime as dt

from dangjian.publicity import services
from dangjian.publicity.models import Scope
from tests.factories import SYSTEM, give_role, make_user
from tests.publicity.conftest import (
    make_article,
    make_notice,
    make_role_model,
    pdf,
    png,
    publish,
)

NEED_TO_KNOW_TEXTS = ("只发给李四的个别通知",)

# The public portal answers without login (src/dangjian/publicity/public_urls.py).
PUBLIC_PAGES = {
    "portal:index",
    "portal:articles",
    "portal:article",
    "portal:article_cover",
    "portal:role_models",
    "portal:role_model",
    "portal:role_model_photo",
    "portal:disclosures",
    "portal:disclosure",
    "portal:feed_atom",
    "portal:feed_json",
}
PUBLIC_API = {
    ("GET", "/api/v1/public/articles"),
    ("GET", "/api/v1/public/articles/{public_article_id}"),
}


def _trio(world):
    users = []
    for name in ("scope_writer", "scope_reviewer", "scope_approver"):
        user = make_user(name)
        give_role(user, world.c1, "publicity")
        users.append(user)
    return users


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    for key, org, members in (("a", world.a, world.members_a), ("b", world.b, world.members_b)):
        article = make_article(org, title=f"文章{key}", cover=png())
        role_model = make_role_model(org, members[1], photo=png())
        disclosure = services.disclosure_assemble(actor=SYSTEM, org=org, year=2026)
        notice = make_notice(org, title=f"通知{key}", attachments=[pdf()])
        made[key] = (
            article.pk,
            role_model.pk,
            disclosure.pk,
            notice.pk,
            notice.attachments.first().pk,
        )
    writer, reviewer, approver = _trio(world)
    public = publish(
        make_article(world.a, author=writer, title="公开文章", scope=Scope.PUBLIC, cover=png()),
        reviewer=reviewer,
        approver=approver,
    )
    public_model = publish(
        make_role_model(
            world.a, world.members_a[2], author=writer, scope=Scope.PUBLIC, photo=png()
        ),
        reviewer=reviewer,
        approver=approver,
    )
    public_disclosure = services.disclosure_assemble(
        actor=writer, org=world.ga, year=2026, scope=Scope.PUBLIC
    )
    publish(public_disclosure, reviewer=reviewer, approver=approver)
    return {
        "publicity_article_id": (made["a"][0], made["b"][0]),
        "role_model_id": (made["a"][1], made["b"][1]),
        "publicity_disclosure_id": (made["a"][2], made["b"][2]),
        "publicity_notice_id": (made["a"][3], made["b"][3]),
        "notice_attachment_id": (made["a"][4], made["b"][4]),
        "public_article_id": (public.pk, public.pk),
        "public_role_model_id": (public_model.pk, public_model.pk),
        "public_disclosure_id": (public_disclosure.pk, public_disclosure.pk),
    }


def need_to_know_objects(world) -> dict[str, int]:
    """A notice of branch A to 李四 (member_a) alone: peer_a (赵六) may not read it."""
    notice = make_notice(
        world.a,
        title="个别谈话安排",
        body=NEED_TO_KNOW_TEXTS[0],
        audience="people",
        people=[world.members_a[1]],
        expires_on=dt.date.today() + dt.timedelta(days=30),
    )
    return {"publicity_notice_id": notice.pk}


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/articles/{publicity_article_id}/review"): {
            "approve": True,
            "secrecy_checked": True,
        },
        ("POST", "/api/v1/articles/{publicity_article_id}/withdraw"): {"reason": "内容需更新"},
        ("POST", "/api/v1/role-models/{role_model_id}/review"): {
            "approve": True,
            "secrecy_checked": True,
        },
        ("POST", "/api/v1/role-models/{role_model_id}/withdraw"): {"reason": "内容需更新"},
        ("POST", "/api/v1/disclosures/{publicity_disclosure_id}/review"): {
            "approve": True,
            "secrecy_checked": True,
        },
        ("POST", "/api/v1/disclosures/{publicity_disclosure_id}/withdraw"): {
            "reason": "内容需更新"
        },
        ("POST", "/api/v1/disclosures/{publicity_disclosure_id}/items"): {
            "title": "其他事项",
            "content": "补充说明",
        },
    }
