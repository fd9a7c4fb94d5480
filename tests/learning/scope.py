"""Objects for the scope matrix (tests/test_scope_matrix.py): a published course of
branch A and one of branch B, each with an audio lesson that has a file; a question bank,
a published exam and an attempt (of the branch secretary, who may read it as a member and
as a manager) in each branch, made through the services."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.learning import exam_attempts, exam_services, training_sessions, trainings
from tests.factories import SYSTEM
from tests.learning.conftest import make_course, wav_file

QUESTION = {"kind": "single", "text": "问题", "options": ["甲", "乙"], "answer": ["A"]}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    for key, org, member in (
        ("a", world.a, world.members_a[0]),
        ("b", world.b, world.members_b[0]),
    ):
        lessons = [{"title": "音频", "kind": "audio", "duration_s": 1, "media": wav_file()}]
        course = make_course(org, lessons, title=f"课程{key}")
        bank = exam_services.bank_create(actor=SYSTEM, org=org, title=f"题库{key}")
        exam = exam_services.exam_create(
            actor=SYSTEM,
            org=org,
            title=f"考试{key}",
            pass_score=1,
            attempts=3,
            questions=[{**QUESTION, "score": 1}],
            publish=True,
        )
        attempt = exam_attempts.attempt_start(actor=SYSTEM, member=member, exam=exam)
        made[key] = (course.pk, course.lessons.get().pk, bank.pk, exam.pk, attempt.pk)
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    for key, org, user in (("a", world.a, "member_a"), ("b", world.b, "sec_b")):
        t = trainings.training_create(
            actor=SYSTEM,
            org=org,
            title=f"培训班{key}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
            hours="8",
        )
        trainings.training_notify(actor=SYSTEM, training=t)
        material = trainings.training_material_add(
            actor=SYSTEM, training=t, title=f"讲义{key}", file=SimpleUploadedFile("a.pdf", PDF)
        )
        record = trainings.outside_record_file(
            actor=world.user(user),
            title=f"党校轮训{key}",
            organizer="市委党校",
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 2),
            hours="4",
            evidence=SimpleUploadedFile("c.pdf", PDF),
        )
        session = training_sessions.session_add(
            actor=SYSTEM,
            training=t,
            title="上午",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=4),
            hours="4",
        )
        made[f"t{key}"] = (t.pk, material.pk, record.pk, session.pk)
    return {
        **{
            name: (made["a"][i], made["b"][i])
            for i, name in enumerate(("course_id", "lesson_id", "bank_id", "exam_id", "attempt_id"))
        },
        "training_id": (made["ta"][0], made["tb"][0]),
        "training_material_id": (made["ta"][1], made["tb"][1]),
        "record_id": (made["ta"][2], made["tb"][2]),
        "training_session_id": (made["ta"][3], made["tb"][3]),
    }


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/learning/trainings/{training_id}/attendance"): {
            "member": world.members_a[2].pk,
            "status": "present",
        },
        ("POST", "/api/v1/learning/trainings/{training_id}/sign-in"): {"code": "000000"},
        ("POST", "/api/v1/learning/trainings/{training_id}/sessions"): {
            "title": "下午",
            "starts_at": "2026-06-01T13:00:00+00:00",
            "ends_at": "2026-06-01T15:00:00+00:00",
            "hours": "2",
        },
        ("POST", "/api/v1/learning/training-sessions/{training_session_id}/roll"): {
            "present": [world.members_a[0].pk]
        },
        ("POST", "/api/v1/learning/outside-records/{record_id}/decision"): {"approve": True},
        ("POST", "/api/v1/learning/lessons/{lesson_id}/heartbeat"): {
            "session": "no-such-session",
            "position_s": 1,
        },
        ("POST", "/api/v1/learning/attempts/{attempt_id}/answers"): {"answers": {}},
        ("POST", "/api/v1/learning/attempts/{attempt_id}/submit"): {"answers": {}},
    }


NEED_TO_KNOW_TEXTS = ("李四在考试中填写的答案",)


def need_to_know_objects(world) -> dict[str, int]:
    """An attempt of member_a (李四) with a saved answer: peer_a (赵六) may not read it."""
    exam = exam_services.exam_create(
        actor=SYSTEM,
        org=world.a,
        title="支部测试",
        pass_score=1,
        questions=[{"kind": "fill_in", "text": "填空", "answer": ["x"], "score": 1}],
        publish=True,
    )
    attempt = exam_attempts.attempt_start(actor=SYSTEM, member=world.members_a[1], exam=exam)
    question = attempt.paper[0]["question"]
    exam_attempts.attempt_save(
        actor=SYSTEM, attempt=attempt, answers={str(question): [NEED_TO_KNOW_TEXTS[0]]}
    )
    return {"attempt_id": attempt.pk}
