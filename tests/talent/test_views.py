"""The talent pages: the pool (search, sorting, paging, a constant number of queries), the
audited Excel export, nomination and review from the profile, the member's consent, track
progress and the SUP-6 page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.talent.models import Talent
from tests.factories import make_member
from tests.talent.conftest import credit, make_course, make_talent, make_track, set_unit

pytestmark = pytest.mark.django_db


def test_pool_searches_by_skill_and_pinyin_in_constant_queries(
    world, client_for, django_assert_max_num_queries
):
    make_talent(world.members_a[1], admit=True)
    client = client_for(world.user("c1_admin"))
    url = reverse("talent:pool")
    with django_assert_max_num_queries(14) as one:
        resp = client.get(url)
    assert resp.status_code == 200 and "李四" in resp.content.decode()
    for i in range(5):
        make_talent(make_member(world.b, f"钱{'一二三四五'[i]}"), admit=True, skills=("新媒体",))
    with django_assert_max_num_queries(len(one.captured_queries)):
        resp = client.get(url)
    assert resp.content.decode().count('href="/talent/') >= 6
    body = client.get(url, {"skill": "新媒体"}).content.decode()
    assert "钱一" in body and "李四" not in body
    body = client.get(url, {"q": "ls"}).content.decode()
    assert "李四" in body and "钱一" not in body
    assert client.get(url, {"order": "org", "page": 2}).status_code == 200


def test_export_is_an_audited_workbook(world, client_for):
    make_talent(world.members_a[1], admit=True)
    resp = client_for(world.user("sec_a")).get(reverse("talent:export"), {"skill": "信息安全"})
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "姓名" and rows[1][0] == "李四" and rows[1][2] == "信息安全"
    entry = AuditEntry.objects.filter(action="export").latest("at")
    assert entry.verb == "导出人才库名单" and entry.changes["rows"] == 1


def test_nominate_page_then_committee_reviews_on_the_profile(world, client_for):
    sec_a = client_for(world.user("sec_a"))
    assert sec_a.get(reverse("talent:nominate")).status_code == 200
    from dangjian.talent.models import Skill

    resp = sec_a.post(
        reverse("talent:nominate"),
        {
            "member": world.members_a[2].pk,
            "skills": [Skill.objects.get(name="视频制作").pk],
            "tags": "航拍",
            "reason": "制作支部宣传片",
            "consent_on": "2026-02-01",
        },
    )
    talent = Talent.objects.get(member=world.members_a[2])
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "talent:talent", args=[talent.pk]
    )
    page = sec_a.get(reverse("talent:talent", args=[talent.pk])).content.decode()
    assert 'id="review"' not in page  # the branch does not review its own nominee
    c1 = client_for(world.user("c1_admin"))
    assert 'id="review"' in c1.get(reverse("talent:talent", args=[talent.pk])).content.decode()
    c1.post(reverse("talent:review", args=[talent.pk]), {"approve": "1", "note": ""})
    assert Talent.objects.get(pk=talent.pk).status == "admitted"


def test_nominate_form_keeps_input_and_shows_the_error(world, client_for):
    make_talent(world.members_a[1])
    from dangjian.talent.models import Skill

    resp = client_for(world.user("sec_a")).post(
        reverse("talent:nominate"),
        {
            "member": world.members_a[1].pk,
            "skills": [Skill.objects.get(name="法律").pk],
            "reason": "法律顾问",
        },
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and "已被提名或已在人才库中" in body and "法律顾问" in body


def test_member_gives_consent_on_the_phone_page(world, client_for):
    talent = make_talent(world.members_a[1], consent=False)
    member = client_for(world.user("member_a"))
    assert "同意进入人才库" in member.get(reverse("talent:mine")).content.decode()
    member.post(reverse("talent:consent", args=[talent.pk]))
    assert Talent.objects.get(pk=talent.pk).consent_by == "member"


def test_track_page_shows_progress_per_org_and_person(world, client_for):
    course = make_course(world.w)
    track = make_track(world.w, courses=[course])
    credit(world.members_a[0], course, 8)
    body = client_for(world.user("c1_admin")).get(reverse("talent:track", args=[track.pk]))
    text = body.content.decode()
    assert "100%" in text and "差 8 学时" in text
    assert client_for(world.user("sec_a")).get(reverse("talent:tracks")).status_code == 200


def test_staffing_page_shows_rate_and_missing_staff_count(world, client_for):
    set_unit(world.c1, "市财政局", below=(world.a, world.b))
    client = client_for(world.user("c1_admin"))
    assert "缺项" in client.get(reverse("talent:staffing")).content.decode()
    client.post(reverse("talent:staffing_org", args=[world.c1.pk]), {"staff_count": "100"})
    from dangjian.orgs.models import Position

    pos = Position.objects.get(org=world.c1)
    client.post(reverse("talent:full_time", args=[pos.pk]), {"full_time": "1"})
    text = client.get(reverse("talent:staffing")).content.decode()
    assert ">1%<" in text and "达标" in text
