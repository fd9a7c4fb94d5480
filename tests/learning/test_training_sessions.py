"""Sessions (课次) of a training class: attendance per session, the hours missed are the
hours of the sessions not attended (LRN-3 on the class's hours, LRN-5), sign-in to the
session under way, the roll call page, the printable sheet."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.errors import Conflict, DomainError
from dangjian.learning import training_sessions as sessions
from dangjian.learning import trainings as services
from dangjian.learning.models import StudyCredit, TrainingAttendance, TrainingSessionAttendance
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
DAY = dt.datetime(2026, 6, 1, tzinfo=BJ)


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(hours=hour, minutes=minute)


def one_day_class(world):
    """8 hours from 9:00 to 17:00, sessions of 1, 2 and 4 hours (7 planned)."""
    t = services.training_create(
        actor=SYSTEM, org=world.a, title="专题培训", starts_at=at(9), ends_at=at(17), hours="8"
    )
    services.training_notify(actor=SYSTEM, training=t)
    made = [
        sessions.session_add(actor=SYSTEM, training=t, title=title, starts_at=a, ends_at=b, hours=h)
        for title, a, b, h in (
            ("开班", at(9), at(10), "1"),
            ("上午专题", at(10), at(12), "2"),
            ("下午研讨", at(13), at(17), "4"),
        )
    ]
    return t, made


def credited(member, training) -> Decimal | None:
    row = StudyCredit.objects.filter(
        member=member, source_type="learning.training", source_id=training.pk
    ).first()
    return row.hours if row else None


def row_of(t, member) -> TrainingAttendance:
    return TrainingAttendance.objects.get(training=t, member=member)


def test_missing_a_short_session_costs_its_hours(world):
    t, (_first, second, third) = one_day_class(world)
    m = world.members_a[1]
    for s in (second, third):
        sessions.session_roll(actor=SYSTEM, session=s, present={m.pk})
    row = row_of(t, m)
    assert row.status == "present" and row.absent_hours == Decimal("1.00")
    assert credited(m, t) == Decimal("7.00")


def test_missing_more_than_a_seventh_earns_nothing(world):
    t, (first, _second, third) = one_day_class(world)
    m = world.members_a[1]
    for s in (first, third):
        sessions.session_roll(actor=SYSTEM, session=s, present={m.pk})
    assert row_of(t, m).absent_hours == Decimal("2.00")
    assert credited(m, t) is None


def test_every_session_earns_the_class_hours_and_unticking_takes_them_back(world):
    t, made = one_day_class(world)
    m = world.members_a[1]
    for s in made:
        sessions.session_roll(actor=SYSTEM, session=s, present={m.pk})
    assert credited(m, t) == Decimal("8.00")
    for s in made:
        sessions.session_roll(actor=SYSTEM, session=s, present=set())
    assert row_of(t, m).status == "expected" and credited(m, t) is None


def test_roll_refuses_members_not_on_the_list(world):
    _t, made = one_day_class(world)
    with pytest.raises(DomainError) as exc:
        sessions.session_roll(actor=SYSTEM, session=made[0], present={world.members_b[0].pk})
    assert "不在本培训班的学员名单中" in exc.value.message


@pytest.mark.parametrize(
    ("start", "end", "hours", "says"),
    [
        (at(8), at(9), "1", "课次须在培训班时间内"),
        (at(9, 30), at(10, 30), "1", "时间重叠"),
        (at(12), at(13), "2", "最多认定"),
        (at(12), at(13), "1.5", "最多认定"),
        (at(17), at(16), "1", "结束时间须晚于开始时间"),
    ],
)
def test_a_session_must_fit_the_class(world, start, end, hours, says):
    t, _ = one_day_class(world)
    with pytest.raises(DomainError) as exc:
        sessions.session_add(
            actor=SYSTEM, training=t, title="加课", starts_at=start, ends_at=end, hours=hours
        )
    assert says in exc.value.message


def test_sessions_cannot_plan_more_hours_than_the_class(world):
    t = services.training_create(
        actor=SYSTEM, org=world.a, title="短训", starts_at=at(9), ends_at=at(17), hours="4"
    )
    sessions.session_add(
        actor=SYSTEM, training=t, title="上午", starts_at=at(9), ends_at=at(12), hours="3"
    )
    with pytest.raises(DomainError) as exc:
        sessions.session_add(
            actor=SYSTEM, training=t, title="下午", starts_at=at(13), ends_at=at(15), hours="2"
        )
    assert "合计不能超过培训班学时 4" in exc.value.message


def test_sign_in_counts_for_the_session_under_way_once(world):
    t, (_first, second, _third) = one_day_class(world)
    user, m = world.user("member_a"), world.members_a[1]
    services.training_sign_in(actor=user, training=t, code=t.sign_in_code, now=at(10, 5))
    services.training_sign_in(actor=user, training=t, code=t.sign_in_code, now=at(10, 6))
    assert list(
        TrainingSessionAttendance.objects.filter(member=m).values_list("session_id", flat=True)
    ) == [second.pk]
    assert row_of(t, m).status == "present"
    with pytest.raises(DomainError) as exc:
        services.training_sign_in(actor=user, training=t, code=t.sign_in_code, now=at(12, 15))
    assert "不在任何课次的签到时间内" in exc.value.message


def test_whole_class_marking_ticks_every_session(world):
    t, made = one_day_class(world)
    m = world.members_a[1]
    services.training_attendance_mark(actor=SYSTEM, training=t, member=m, status="present")
    assert TrainingSessionAttendance.objects.filter(member=m).count() == len(made)
    assert credited(m, t) == Decimal("8.00")
    services.training_attendance_mark(actor=SYSTEM, training=t, member=m, status="leave")
    assert row_of(t, m).status == "leave" and credited(m, t) is None
    with pytest.raises(DomainError) as exc:
        services.training_attendance_mark(
            actor=SYSTEM, training=t, member=m, status="present", absent_hours="1"
        )
    assert exc.value.field == "absent_hours"


def test_a_session_with_presences_is_kept(world):
    t, (first, _second, third) = one_day_class(world)
    m = world.members_a[1]
    sessions.session_roll(actor=SYSTEM, session=first, present={m.pk})
    with pytest.raises(Conflict):
        sessions.session_remove(actor=SYSTEM, session=first)
    sessions.session_remove(actor=SYSTEM, session=third)
    assert t.sessions.count() == 2


def test_roll_page_saves_and_the_sheet_shows_the_sessions(world, client_for):
    t, (_first, second, _third) = one_day_class(world)
    c = client_for(world.user("sec_a"))
    url = reverse("learning:session_roll", args=[t.pk, second.pk])
    page = c.get(url)
    assert page.status_code == 200 and "上午专题" in page.content.decode()
    ids = [m.pk for m in world.members_a[:2]]
    resp = c.post(url, {"present": [str(i) for i in ids] + ["x"]})
    assert resp.status_code == 302
    assert set(second.presences.values_list("member_id", flat=True)) == set(ids)
    detail = c.get(reverse("learning:training", args=[t.pk])).content.decode()
    assert "下午研讨" in detail and f"2 / {t.attendances.count()}" in detail
    sheet = c.get(reverse("learning:training_sheet", args=[t.pk])).content.decode()
    assert "上午专题" in sheet and sheet.count("✓") == 2


def test_roll_page_of_another_branch_is_404(world, client_for):
    t, made = one_day_class(world)
    c = client_for(world.user("sec_b"))
    assert c.get(reverse("learning:session_roll", args=[t.pk, made[0].pk])).status_code == 404


def test_add_session_page_gives_a_message(world, client_for):
    t, _ = one_day_class(world)
    c = client_for(world.user("sec_a"))
    resp = c.post(
        reverse("learning:session_add", args=[t.pk]),
        {
            "title": "晚间",
            "starts_at": "2026-06-01T18:00",
            "ends_at": "2026-06-01T19:00",
            "hours": "1",
        },
        follow=True,
    )
    assert "课次须在培训班时间内" in resp.content.decode()


def test_roll_queries_do_not_grow_with_the_list(world, client_for):
    t, made = one_day_class(world)
    c = client_for(world.user("sec_a"))
    url = reverse("learning:session_roll", args=[t.pk, made[1].pk])
    few = [m.pk for m in world.members_a[:1]]
    c.post(url, {"present": few})
    with CaptureQueriesContext(connection) as one:
        c.post(url, {"present": []})
    with CaptureQueriesContext(connection) as all_:
        c.post(url, {"present": [m.pk for m in world.members_a]})
    assert len(all_) <= len(one) + 2


def test_api_adds_a_session_and_takes_the_roll(world, api_for):
    t, (first, _second, _third) = one_day_class(world)
    api = api_for(world.user("sec_a"))
    resp = post(
        api,
        f"/api/v1/learning/trainings/{t.pk}/sessions",
        {
            "title": "结业",
            "starts_at": "2026-06-01T12:00:00+08:00",
            "ends_at": "2026-06-01T13:00:00+08:00",
            "hours": "1",
        },
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["hours"] == "1.00"
    m = world.members_a[1]
    resp = post(api, f"/api/v1/learning/training-sessions/{first.pk}/roll", {"present": [m.pk]})
    assert resp.status_code == 200 and resp.json() == {"added": 1, "removed": 0}
    listed = api.get(f"/api/v1/learning/trainings/{t.pk}/sessions").json()
    assert [s["present"] for s in listed] == [1, 0, 0, 0]
    bad = post(
        api,
        f"/api/v1/learning/trainings/{t.pk}/sessions",
        {
            "title": "晚",
            "starts_at": "2026-06-01T20:00:00+08:00",
            "ends_at": "2026-06-01T21:00:00+08:00",
            "hours": "1",
        },
    )
    assert bad.status_code == 422 and "培训班时间内" in bad.json()["detail"]
    other = api_for(world.user("sec_b"))
    assert (
        post(
            other, f"/api/v1/learning/training-sessions/{first.pk}/roll", {"present": []}
        ).status_code
        == 404
    )


def test_member_signs_in_to_each_session_on_the_phone(world, client_for):
    from django.utils import timezone

    now = timezone.now().replace(second=0, microsecond=0)
    t = services.training_create(
        actor=SYSTEM,
        org=world.a,
        title="两段式培训",
        starts_at=now - dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(hours=3),
        hours="3",
    )
    services.training_notify(actor=SYSTEM, training=t)
    under_way = sessions.session_add(
        actor=SYSTEM,
        training=t,
        title="第一段",
        starts_at=now - dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(hours=1),
        hours="1",
    )
    sessions.session_add(
        actor=SYSTEM,
        training=t,
        title="第二段",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
        hours="2",
    )
    c = client_for(world.user("member_a"))
    c.post(reverse("learning:my_sign_in", args=[t.pk]), {"code": t.sign_in_code})
    assert set(under_way.presences.values_list("member_id", flat=True)) == {world.members_a[1].pk}
    page = c.get(reverse("learning:my_trainings")).content.decode()
    assert "已签到 · 第一段" in page and "未签到 · 第二段" in page
    assert 'name="code"' in page  # the second session still needs its sign-in
