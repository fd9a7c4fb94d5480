"""The exam demo step: a bank, a random-rule exam, members of the featured branch who took
it (graded by the server, PNT-2 points for those who passed)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.demo import demo_steps
from dangjian.learning import demo
from dangjian.learning.models import Attempt, Exam, PointEntry, QuestionBank
from tests.learning.conftest import demo_context

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def built(world):
    ctx = demo_context(world, TODAY)
    demo.build_exams(ctx)
    return world


def test_the_step_is_registered():
    assert ("learning", "build_exams") in [(s.label, s.name) for s in demo_steps()]


def test_demo_has_a_bank_and_a_published_random_exam(built):
    assert QuestionBank.objects.get().questions.count() == 12
    exam = Exam.objects.get()
    assert (exam.status, exam.mode, exam.rules.count()) == ("published", "random", 3)


def test_demo_members_took_the_exam_and_passers_got_points(built):
    attempts = list(Attempt.objects.all())
    assert len(attempts) == 2 and all(a.submitted_at for a in attempts)
    assert [a.passed for a in sorted(attempts, key=lambda a: a.started_at)] == [True, False]
    assert list(PointEntry.objects.values_list("rule_code", "points")) == [("PNT-2", 5)]
