"""500 members of one meeting sign in at the same moment: each is recorded exactly once.

Real threads, each with its own database connection, on a transactional test. On SQLite
the test database is copied to a file first (an in-memory database shared between threads
has no busy timeout); on PostgreSQL (``DATABASE_URL``) the test database is used as it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.errors import DomainError
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting
from dangjian.members.models import Member
from dangjian.members.services import member_fill_computed
from tests.factories import SYSTEM, id_number_for, make_org

N = 500


@contextlib.contextmanager
def shared_database(tmp_path):
    """Make threads' connections reach the data the test wrote."""
    settings_dict = connections.settings["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "signin.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    # As a real database file is after `migrate`: already in WAL mode, so the threads'
    # connections do not race each other to switch the journal mode (which needs the file
    # to themselves and can fail with "database is locked" however long they wait).
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = original


def build(n: int):
    w = make_org("工委", "work_committee")
    c = make_org("机关党委", "committee", w)
    branch = make_org("大支部", "branch", c)
    born = dt.date(1980, 1, 1)
    members = [
        member_fill_computed(
            Member(
                name=f"党员{i:03d}",
                gender="male",
                birth_date=born,
                org=branch,
                status="full",
                applied_at=dt.date(2000, 1, 1),
                activist_at=dt.date(2000, 6, 1),
                candidate_at=dt.date(2001, 6, 1),
                joined_at=dt.date(2002, 1, 1),
                full_at=dt.date(2003, 1, 1),
            ),
            id_number_for(born),
        )
        for i in range(n)
    ]
    members = Member.objects.bulk_create(members)
    users = User.objects.bulk_create(
        [
            User(username=f"m{i:03d}", name=m.name, member=m, password="!")
            for i, m in enumerate(members)
        ]
    )
    meeting = services.meeting_create(
        actor=SYSTEM,
        org=branch,
        kind="general_meeting",
        topic="全体党员大会",
        held_at=timezone.now() + dt.timedelta(minutes=5),
    )
    return meeting, [u.pk for u in users]


@pytest.mark.django_db(transaction=True)
def test_500_members_signing_in_at_once_are_each_recorded_once(tmp_path):
    meeting, user_ids = build(N)
    errors: list[str] = []
    start = threading.Barrier(32)

    def sign_in(user_id: int) -> int:
        try:
            user = User.objects.get(pk=user_id)
            m = Meeting.objects.get(pk=meeting.pk)
            return services.meeting_sign_in(actor=user, meeting=m, code=m.sign_in_code).pk
        except DomainError as exc:  # a refusal would be a bug here
            errors.append(exc.message)
            return 0
        finally:
            connections.close_all()

    def first_wave(user_id: int) -> int:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=10)
        return sign_in(user_id)

    def count():
        try:
            rows = Attendance.objects.filter(meeting_id=meeting.pk)
            return (
                rows.count(),
                rows.filter(status="present").values("member_id").distinct().count(),
                rows.filter(channel="code").count(),
            )
        finally:
            connections.close_all()

    began = time.monotonic()
    with shared_database(tmp_path), ThreadPoolExecutor(max_workers=32) as pool:
        # Everyone at once, then everyone again (a double tap on the phone).
        ids = list(pool.map(first_wave, user_ids[:32])) + list(pool.map(sign_in, user_ids[32:]))
        ids_again = list(pool.map(sign_in, user_ids))
        total, present, by_code = pool.submit(count).result()
    elapsed = time.monotonic() - began
    assert errors == []
    assert (total, present, by_code) == (N, N, N)
    assert ids == ids_again  # the second sign-in returned the same row
    assert len(set(ids)) == N
    assert elapsed < 60
