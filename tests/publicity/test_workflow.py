"""DSC-1: submit → review (secrecy review) → approve/publish, three distinct people; steps out
of order are conflicts; withdrawal needs a reason; every step is audited. DSC-2 scopes."""

from __future__ import annotations

import pytest

from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.publicity import services
from dangjian.publicity.models import Article, Scope, Status
from tests.publicity.conftest import make_article, png, publish, staff_trio

pytestmark = pytest.mark.django_db


def test_article_goes_draft_submitted_reviewed_published(world):
    writer, reviewer, approver = staff_trio(world)
    article = make_article(world.c1, author=writer)
    assert article.status == Status.DRAFT
    article = services.publication_submit(actor=writer, item=article)
    assert article.status == Status.SUBMITTED
    article = services.publication_review(
        actor=reviewer, item=article, approve=True, secrecy_checked=True
    )
    assert (article.status, article.secrecy_checked) == (Status.REVIEWED, True)
    article = services.publication_approve(actor=approver, item=article)
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert (article.author, article.reviewer, article.approver) == (writer, reviewer, approver)
    verbs = list(
        AuditEntry.objects.filter(object_type="publicity.article", object_id=str(article.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert len(verbs) == 4 and "已保密审查" in verbs[2]


def test_author_may_not_review_own_article(world):
    writer, _, _ = staff_trio(world)
    article = services.publication_submit(actor=writer, item=make_article(world.c1, author=writer))
    with pytest.raises(DomainError) as exc:
        services.publication_review(actor=writer, item=article, approve=True, secrecy_checked=True)
    assert exc.value.status == 422 and "撰稿人不能审核" in exc.value.message


def test_author_and_reviewer_may_not_approve(world):
    writer, reviewer, _ = staff_trio(world)
    article = services.publication_submit(actor=writer, item=make_article(world.c1, author=writer))
    services.publication_review(actor=reviewer, item=article, approve=True, secrecy_checked=True)
    for who in (writer, reviewer):
        with pytest.raises(DomainError) as exc:
            services.publication_approve(actor=who, item=article)
        assert exc.value.status == 422
    assert Article.objects.get(pk=article.pk).status == Status.REVIEWED


def test_review_without_secrecy_check_is_refused(world):
    writer, reviewer, _ = staff_trio(world)
    article = services.publication_submit(actor=writer, item=make_article(world.c1, author=writer))
    with pytest.raises(DomainError) as exc:
        services.publication_review(
            actor=reviewer, item=article, approve=True, secrecy_checked=False
        )
    assert exc.value.field == "secrecy_checked"


def test_steps_out_of_order_are_conflicts(world):
    writer, reviewer, approver = staff_trio(world)
    article = make_article(world.c1, author=writer)
    with pytest.raises(Conflict):
        services.publication_approve(actor=approver, item=article)
    with pytest.raises(Conflict):
        services.publication_review(
            actor=reviewer, item=article, approve=True, secrecy_checked=True
        )
    with pytest.raises(Conflict):
        services.publication_withdraw(actor=approver, item=article, reason="有误")


def test_returned_article_can_be_edited_and_resubmitted(world):
    writer, reviewer, _ = staff_trio(world)
    article = services.publication_submit(actor=writer, item=make_article(world.c1, author=writer))
    with pytest.raises(DomainError):  # returning needs a reason
        services.publication_review(
            actor=reviewer, item=article, approve=False, secrecy_checked=False
        )
    article = services.publication_review(
        actor=reviewer, item=article, approve=False, secrecy_checked=False, note="数据需核实"
    )
    assert article.status == Status.RETURNED
    services.article_update(
        actor=writer,
        article=article,
        title="新标题",
        body="改正后",
        scope=Scope.ORG,
        category="news",
    )
    assert services.publication_submit(actor=writer, item=article).status == Status.SUBMITTED


def test_submitted_article_cannot_be_edited(world):
    writer, _, _ = staff_trio(world)
    article = services.publication_submit(actor=writer, item=make_article(world.c1, author=writer))
    with pytest.raises(Conflict):
        services.article_update(
            actor=writer, article=article, title="x", body="y", scope=Scope.ORG, category="news"
        )


def test_withdrawal_needs_a_reason_and_hides_the_article(world):
    writer, reviewer, approver = staff_trio(world)
    article = publish(make_article(world.c1, author=writer), reviewer=reviewer, approver=approver)
    member = world.user("member_a")
    assert Article.objects.visible_to(member).filter(pk=article.pk).exists()
    with pytest.raises(DomainError):
        services.publication_withdraw(actor=approver, item=article, reason=" ")
    services.publication_withdraw(actor=approver, item=article, reason="内容需更新")
    article.refresh_from_db()
    assert (article.status, article.withdraw_reason) == (Status.WITHDRAWN, "内容需更新")
    assert not Article.objects.visible_to(member).filter(pk=article.pk).exists()


def test_rich_text_is_sanitized(world):
    article = make_article(
        world.c1,
        body='<p onclick="x()">正文<script>alert(1)</script><img src="http://t/x.png"></p>'
        '<a href="javascript:alert(1)">链接</a>',
    )
    assert "script" not in article.body and "onclick" not in article.body
    assert "<img" not in article.body and "javascript" not in article.body
    assert "正文" in article.body


def test_body_of_only_markup_is_refused(world):
    with pytest.raises(DomainError) as exc:
        make_article(world.c1, body="<script>x</script>")
    assert exc.value.field == "body"


def test_cover_is_checked_by_content_not_name(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("封面.png", b"MZ\x90\x00not an image at all")
    with pytest.raises(DomainError) as exc:
        make_article(world.c1, cover=fake)
    assert exc.value.field == "cover"
    article = make_article(world.c1, cover=png("photo.bin"))
    assert article.cover.name.startswith("publicity/covers/")


def test_scope_people_needs_people_within_the_org(world):
    with pytest.raises(DomainError) as exc:
        make_article(world.a, scope=Scope.PEOPLE, people=[world.members_b[0]])
    assert exc.value.field == "people"
    article = make_article(world.a, scope=Scope.PEOPLE, people=[])
    with pytest.raises(DomainError):
        services.publication_submit(actor=article.author or writer_of(world), item=article)


def writer_of(world):
    from tests.factories import SYSTEM

    return SYSTEM


def test_unknown_scope_names_the_choices(world):
    with pytest.raises(DomainError) as exc:
        make_article(world.c1, scope="world")
    assert "社会公开" in exc.value.message


@pytest.mark.parametrize(
    ("scope", "sees"),
    [
        (Scope.PUBLIC, {"member_a", "sec_b", "peer_a"}),
        (Scope.PARTY, {"member_a", "sec_b", "peer_a"}),
        (Scope.ORG, {"member_a", "peer_a"}),
        (Scope.PEOPLE, {"member_a"}),
    ],
)
def test_published_scope_decides_who_reads(world, scope, sees):
    trio = staff_trio(world)
    people = [world.members_a[1]] if scope == Scope.PEOPLE else None
    article = make_article(world.a, author=trio[0], scope=scope, people=people)
    article = publish(article, reviewer=trio[1], approver=trio[2])
    readers = {
        name
        for name in ("member_a", "sec_b", "peer_a")
        if Article.objects.visible_to(world.user(name)).filter(pk=article.pk).exists()
    }
    assert readers == sees


def test_draft_is_seen_by_staff_only(world):
    article = make_article(world.a, scope=Scope.PUBLIC)
    assert Article.objects.visible_to(world.user("sec_a")).filter(pk=article.pk).exists()
    assert not Article.objects.visible_to(world.user("member_a")).filter(pk=article.pk).exists()
    assert not Article.objects.public().filter(pk=article.pk).exists()


def test_publishing_sends_the_published_signal_after_commit(
    world, django_capture_on_commit_callbacks
):
    from dangjian.core.signals import published

    got = []

    def receiver(sender, **kw):
        got.append(kw)

    published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            writer, reviewer, approver = staff_trio(world)
            publish(
                make_article(world.c1, author=writer, body="<p>学习<b>会议</b></p>"),
                reviewer=reviewer,
                approver=approver,
            )
    finally:
        published.disconnect(receiver)
    assert len(got) == 1
    assert got[0]["org"] == world.c1 and got[0]["text"] == "学习 会议"
    assert got[0]["url"].startswith("/publicity/articles/")


def test_people_scope_goes_to_the_inbox_not_the_channels(world, django_capture_on_commit_callbacks):
    from dangjian.core.models import Notification
    from dangjian.core.signals import published

    got = []

    def receiver(sender, **kw):
        got.append(kw)

    published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            trio = staff_trio(world)
            article = make_article(
                world.a, author=trio[0], scope=Scope.PEOPLE, people=[world.members_a[1]]
            )
            publish(article, reviewer=trio[1], approver=trio[2])
    finally:
        published.disconnect(receiver)
    assert got == []
    assert Notification.objects.filter(user=world.user("member_a")).count() == 1
