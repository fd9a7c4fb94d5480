"""Staff and phone pages: lists with search and set-based queries, forms that keep input and
show Chinese errors, the workflow through the pages, notices read on the phone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.publicity.models import Article, Disclosure, Notice, NoticeRead, Status
from tests.publicity.conftest import make_article, make_notice, pdf, png, staff_trio

pytestmark = pytest.mark.django_db


def test_article_list_is_set_based(world, client_for):
    for i in range(3):
        make_article(world.a, title=f"文章{i}")
    client = client_for(world.user("sec_a"))
    client.get("/publicity/")
    with CaptureQueriesContext(connection) as few:
        client.get("/publicity/")
    for i in range(3, 12):
        make_article(world.a, title=f"文章{i}")
    with CaptureQueriesContext(connection) as many:
        resp = client.get("/publicity/?q=文章&sort=title")
    assert resp.status_code == 200 and "文章11" in resp.content.decode()
    assert len(many) == len(few)


def test_notice_list_is_set_based(world, client_for):
    client = client_for(world.user("sec_a"))
    make_notice(world.a, attachments=[pdf()])
    client.get("/publicity/notices/")
    with CaptureQueriesContext(connection) as few:
        client.get("/publicity/notices/")
    for i in range(6):
        make_notice(world.a, title=f"通知{i}", attachments=[pdf()])
    with CaptureQueriesContext(connection) as many:
        resp = client.get("/publicity/notices/?status=current")
    assert resp.status_code == 200
    assert len(many) == len(few)


def test_write_article_through_the_page_keeps_input_on_error(world, client_for):
    client = client_for(world.user("sec_a"))
    data = {"title": "支部动态", "org": world.a.pk, "category": "news", "scope": "org", "body": ""}
    resp = client.post("/publicity/articles/new/", data)
    assert resp.status_code == 200 and "支部动态" in resp.content.decode()
    data["body"] = "今天召开支部大会"
    data["cover"] = png()
    resp = client.post("/publicity/articles/new/", data)
    article = Article.objects.get()
    assert resp.status_code == 302 and article.body == "<p>今天召开支部大会</p>"
    assert article.cover


def test_workflow_through_the_pages(world, client_for):
    writer, reviewer, approver = staff_trio(world)
    article = make_article(world.c1, author=writer)
    url = f"/publicity/articles/{article.pk}/step/"
    client_for(writer).post(url, {"step": "submit"})
    resp = client_for(writer).post(
        url, {"step": "review", "approve": "1", "secrecy_checked": "on"}, follow=True
    )
    assert "撰稿人不能审核" in resp.content.decode()
    client_for(reviewer).post(url, {"step": "review", "approve": "1", "secrecy_checked": "on"})
    client_for(approver).post(url, {"step": "approve"})
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    page = (
        client_for(world.user("sec_a")).get(f"/publicity/articles/{article.pk}/").content.decode()
    )
    assert "已通过保密审查" in page and "published" not in page


def test_post_notice_and_read_it_on_the_phone(world, client_for):
    resp = client_for(world.user("sec_a")).post(
        "/publicity/notices/new/",
        {
            "title": "党费收缴提醒",
            "org": world.a.pk,
            "audience": "subtree",
            "body": "本月10日前交纳",
            "attachments": [pdf()],
        },
    )
    notice = Notice.objects.get()
    assert resp.status_code == 302 and notice.attachments.count() == 1
    member = client_for(world.user("member_a"))
    listing = member.get("/publicity/m/notices/").content.decode()
    assert "党费收缴提醒" in listing and "未读" in listing
    assert member.get(f"/publicity/m/notices/{notice.pk}/").status_code == 200
    assert NoticeRead.objects.filter(notice=notice, user=world.user("member_a")).exists()
    staff = client_for(world.user("sec_a")).get(f"/publicity/notices/{notice.pk}/").content.decode()
    assert "已阅 1 人" in staff and "不作考核依据" in staff
    att = notice.attachments.get()
    assert member.get(f"/publicity/notices/{notice.pk}/attachments/{att.pk}/").status_code == 200


def test_disclosure_assembled_edited_and_published(world, client_for):
    writer, reviewer, approver = staff_trio(world)
    resp = client_for(writer).post(
        "/publicity/disclosures/new/", {"org": world.a.pk, "year": 2026, "scope": "org"}
    )
    disclosure = Disclosure.objects.get()
    assert resp.status_code == 302
    kinds = list(disclosure.items.values_list("kind", flat=True))
    assert kinds == ["plan", "life", "development", "dues", "elections"]
    dues = disclosure.items.get(kind="dues")
    assert "缺项" in dues.content
    client_for(writer).post(
        f"/publicity/disclosures/{disclosure.pk}/items/",
        {"item": dues.pk, "kind": "dues", "title": dues.title, "content": "全年应交、实交均已公示"},
    )
    dues.refresh_from_db()
    assert dues.content == "全年应交、实交均已公示"
    url = f"/publicity/disclosures/{disclosure.pk}/step/"
    client_for(writer).post(url, {"step": "submit"})
    resp = client_for(writer).post(
        f"/publicity/disclosures/{disclosure.pk}/items/",
        {"item": dues.pk, "kind": "dues", "title": "改", "content": "改"},
        follow=True,
    )
    assert "提交后不能修改" in resp.content.decode()
    client_for(reviewer).post(url, {"step": "review", "approve": "1", "secrecy_checked": "on"})
    client_for(approver).post(url, {"step": "approve"})
    dues.refresh_from_db()
    assert dues.published_at is not None and dues.published_scope == "org"
    assert dues.published_by_name


def test_pages_answer_for_staff(world, client_for):
    client = client_for(world.user("sec_a"))
    for url in (
        "/publicity/",
        "/publicity/role-models/",
        "/publicity/notices/",
        "/publicity/disclosures/",
        "/publicity/articles/new/",
        "/publicity/role-models/new/",
        "/publicity/notices/new/",
        "/publicity/disclosures/new/",
    ):
        assert client.get(url).status_code == 200, url


def test_member_phone_articles(world, client_for):
    from tests.publicity.conftest import published_article

    published_article(world, org=world.a, title="支部动态")
    page = client_for(world.user("member_a")).get("/publicity/m/").content.decode()
    assert "支部动态" in page
