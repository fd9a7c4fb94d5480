"""The exam and points API as issue 12 writes it: create an exam with its questions (201),
start an attempt as the member (201, a paper without answers), submit (score, passed), a
retried submit, and /points for one's own ledger only."""

from __future__ import annotations

import json

import pytest

from dangjian.learning.models import Attempt, PointEntry

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


EXAM = {
    "title": "条例知识测试",
    "pass_score": 60,
    "attempts": 2,
    "questions": [
        {
            "kind": "single",
            "text": "党员每年集中学习培训一般不少于多少学时？",
            "options": ["16", "32", "56"],
            "answer": ["B"],
            "score": 40,
        },
        {
            "kind": "multiple",
            "text": "学习形式包括",
            "options": ["集中培训", "网络学习", "打卡签到"],
            "answer": ["A", "B"],
            "score": 30,
        },
        {"kind": "true_false", "text": "学习时长可以作为考核依据", "answer": ["B"], "score": 20},
        {
            "kind": "fill_in",
            "text": "基层党支部书记每年不少于__学时",
            "answer": ["56"],
            "score": 10,
        },
    ],
}


def create(api_for, world, **extra):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/learning/exams",
        {**EXAM, "org": world.a.pk, **extra},
    )
    assert resp.status_code == 201, resp.content
    return resp.json()


def right_answers(exam):
    return {str(q["id"]): q["answer"] for q in exam["questions"]}


def test_create_exam_answers_201_with_question_ids_and_full_marks(world, api_for):
    exam = create(api_for, world)
    assert exam["status"] == "published"
    assert exam["full_marks"] == 100
    assert [q["kind"] for q in exam["questions"]] == ["single", "multiple", "true_false", "fill_in"]
    assert exam["questions"][2]["options"] == ["正确", "错误"]


def test_exam_with_pass_score_above_full_marks_answers_422(world, api_for):
    resp = post(
        api_for(world.user("sec_a")),
        "/api/v1/learning/exams",
        {**EXAM, "org": world.a.pk, "pass_score": 101},
    )
    assert resp.status_code == 422
    assert "高于满分" in resp.json()["detail"]


def test_bad_option_letter_answers_422_in_chinese(world, api_for):
    bad = {**EXAM, "org": world.a.pk}
    bad["questions"] = [{**EXAM["questions"][0], "answer": ["Z"]}]
    resp = post(api_for(world.user("sec_a")), "/api/v1/learning/exams", bad)
    assert resp.status_code == 422
    assert "答案须为选项字母" in resp.json()["detail"]


def test_exam_for_another_branch_answers_404(world, api_for):
    resp = post(api_for(world.user("sec_a")), "/api/v1/learning/exams", {**EXAM, "org": world.b.pk})
    assert resp.status_code == 404


def test_member_gets_a_paper_without_answers_and_is_graded_by_the_server(world, api_for):
    exam = create(api_for, world)
    member = api_for(world.user("member_a"))
    resp = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts")
    assert resp.status_code == 201
    paper = resp.json()
    text = json.dumps(paper, ensure_ascii=False)
    assert '"answer"' not in text
    assert [q["id"] for q in paper["questions"]] == [q["id"] for q in exam["questions"]]
    assert paper["questions"][0]["options"][1] == {"key": "B", "text": "32"}
    answers = right_answers(exam)
    answers[str(exam["questions"][1]["id"])] = ["A"]  # one option missing: wrong
    answers[str(exam["questions"][3]["id"])] = [" ５６ "]  # full-width, spaces: right
    resp = post(member, f"/api/v1/learning/attempts/{paper['id']}/submit", {"answers": answers})
    assert resp.status_code == 200
    assert resp.json()["score"] == 70
    assert resp.json()["passed"] is True


def test_retried_submit_returns_the_first_result_and_grades_once(world, api_for):
    exam = create(api_for, world)
    member = api_for(world.user("member_a"))
    attempt = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts").json()
    url = f"/api/v1/learning/attempts/{attempt['id']}/submit"
    first = post(member, url, {"answers": {}}).json()
    again = post(member, url, {"answers": right_answers(exam)}).json()
    assert first["score"] == again["score"] == 0
    assert again["passed"] is False
    assert Attempt.objects.get(pk=attempt["id"]).score == 0


def test_attempt_limit_answers_409(world, api_for):
    exam = create(api_for, world, attempts=1)
    member = api_for(world.user("member_a"))
    attempt = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts").json()
    post(member, f"/api/v1/learning/attempts/{attempt['id']}/submit", {"answers": {}})
    resp = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts")
    assert resp.status_code == 409
    assert "机会已用完" in resp.json()["detail"]


def test_submit_of_someone_elses_attempt_is_404(world, api_for):
    exam = create(api_for, world)
    attempt = post(api_for(world.user("member_a")), f"/api/v1/learning/exams/{exam['id']}/attempts")
    resp = post(
        api_for(world.user("peer_a")),
        f"/api/v1/learning/attempts/{attempt.json()['id']}/submit",
        {"answers": {}},
    )
    assert resp.status_code == 404


def test_answer_to_a_question_not_on_the_paper_answers_422(world, api_for):
    exam = create(api_for, world)
    member = api_for(world.user("member_a"))
    attempt = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts").json()
    resp = post(
        member,
        f"/api/v1/learning/attempts/{attempt['id']}/submit",
        {"answers": {"999999": ["A"]}},
    )
    assert resp.status_code == 422
    assert "不在本试卷中" in resp.json()["detail"]


def test_points_of_the_member_after_passing(world, api_for):
    exam = create(api_for, world)
    member = api_for(world.user("member_a"))
    attempt = post(member, f"/api/v1/learning/exams/{exam['id']}/attempts").json()
    post(
        member,
        f"/api/v1/learning/attempts/{attempt['id']}/submit",
        {"answers": right_answers(exam)},
    )
    year = PointEntry.objects.get().year
    resp = member.get("/api/v1/points", {"member": world.members_a[1].pk, "year": year})
    assert resp.status_code == 200
    body = resp.json()
    assert body["total"] == 5
    assert body["entries"][0]["rule_code"] == "PNT-2"


def test_points_of_another_member_are_404_even_for_the_secretary(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/points", {"member": world.members_a[1].pk})
    assert resp.status_code == 404


def test_org_points_are_sums_per_org_without_names(world, api_for):
    resp = api_for(world.user("c1_admin")).get("/api/v1/points/orgs", {"org": world.c1.pk})
    assert resp.status_code == 200
    names = [r["org_name"] for r in resp.json()["results"]]
    assert names[0] == world.c1.name
    assert "张三" not in resp.content.decode()
