"""Objects for the scope matrix (tests/test_scope_matrix.py): a published course of
branch A and one of branch B, each with an audio lesson that has a file, made through the
services."""

from __future__ import annotations

from tests.learning.conftest import make_course, wav_file


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    for key, org in (("a", world.a), ("b", world.b)):
        lessons = [{"title": "音频", "kind": "audio", "duration_s": 1, "media": wav_file()}]
        course = make_course(org, lessons, title=f"课程{key}")
        made[key] = (course.pk, course.lessons.get().pk)
    return {
        "course_id": (made["a"][0], made["b"][0]),
        "lesson_id": (made["a"][1], made["b"][1]),
    }


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/learning/lessons/{lesson_id}/heartbeat"): {
            "session": "no-such-session",
            "position_s": 1,
        },
    }
