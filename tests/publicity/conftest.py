"""Helpers for the publicity tests: articles, role models, notices and disclosures made
through the services, and an article taken through the whole DSC-1 workflow."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.publicity import services
from dangjian.publicity.models import Scope
from tests.factories import SYSTEM, give_role, make_user

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name="封面.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="通知.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_article(org, *, author=SYSTEM, title="机关党委召开专题学习会", scope=Scope.ORG, **kw):
    return services.article_create(
        actor=author,
        org=org,
        title=title,
        body=kw.pop("body", "<p>会议传达学习了有关精神。</p>"),
        scope=scope,
        **kw,
    )


def staff_trio(world):
    """Three staff of C1: author, reviewer and approver (DSC-1 wants three people)."""
    users = []
    for name in ("pub_writer", "pub_reviewer", "pub_approver"):
        user = make_user(name)
        give_role(user, world.c1, "publicity")
        users.append(user)
    return users


def publish(item, *, reviewer, approver):
    services.publication_submit(actor=item.author or SYSTEM, item=item)
    services.publication_review(actor=reviewer, item=item, approve=True, secrecy_checked=True)
    return services.publication_approve(actor=approver, item=item)


def published_article(world, *, org=None, scope=Scope.ORG, title="机关党委召开专题学习会", **kw):
    writer, reviewer, approver = kw.pop("trio", None) or staff_trio(world)
    article = make_article(org or world.c1, author=writer, title=title, scope=scope, **kw)
    return publish(article, reviewer=reviewer, approver=approver)


def make_notice(org, *, title="关于开展主题党日活动的通知", **kw):
    return services.notice_publish(
        actor=kw.pop("actor", SYSTEM),
        org=org,
        title=title,
        body=kw.pop("body", "请各支部按时开展。"),
        **kw,
    )


def make_role_model(org, member, *, author=SYSTEM, scope=Scope.ORG, **kw):
    return services.role_model_create(
        actor=author,
        org=org,
        member=member,
        title=kw.pop("title", f"身边榜样：{member.name}"),
        deeds=kw.pop("deeds", "扎根基层，服务群众。"),
        consent_on=kw.pop("consent_on", dt.date(2026, 1, 5)),
        consent_note=kw.pop("consent_note", "本人书面同意"),
        scope=scope,
        **kw,
    )
