"""The API contract: 422 with the rule code, 409 out of order, retries, input errors."""

from tests.development.helpers import make_applicant


def _open(world, api):
    m = make_applicant(world)
    return api.post(
        "/api/v1/development/cases", {"member": m.pk}, content_type="application/json"
    ).json()["id"]


def _step(api, case_id, n, done_on, data=None):
    return api.post(
        f"/api/v1/development/cases/{case_id}/steps/{n}",
        {"done_on": done_on, "data": data or {}},
        content_type="application/json",
    )


def test_broken_rule_gives_422_with_rule_code(world, api_for):
    api = api_for(world.user("sec_a"))
    case_id = _open(world, api)
    assert _step(api, case_id, 1, "2023-01-05").status_code == 200
    resp = _step(api, case_id, 2, "2023-02-06")
    assert resp.status_code == 422
    body = resp.json()
    assert body["rule"] == "DEV-2"
    assert "2023-02-05" in body["detail"]
    assert body["errors"][0]["field"] == "done_on"


def test_out_of_order_gives_409(world, api_for):
    api = api_for(world.user("sec_a"))
    case_id = _open(world, api)
    resp = _step(api, case_id, 3, "2023-01-05")
    assert resp.status_code == 409
    assert "第1步" in resp.json()["detail"]


def test_retried_step_answers_200_and_records_once(world, api_for):
    api = api_for(world.user("sec_a"))
    case_id = _open(world, api)
    first = _step(api, case_id, 1, "2023-01-05")
    again = _step(api, case_id, 1, "2023-01-05")
    assert first.status_code == again.status_code == 200
    assert again.json()["current_step"] == 2


def test_bad_input_is_422_not_500(world, api_for):
    api = api_for(world.user("sec_a"))
    case_id = _open(world, api)
    assert _step(api, case_id, 1, "2023-13-45").status_code == 422
    assert _step(api, case_id, 99, "2023-01-05").status_code == 422
    _step(api, case_id, 1, "2023-01-05")
    _step(api, case_id, 2, "2023-01-20")
    _step(api, case_id, 3, "2023-03-01")
    _step(api, case_id, 4, "2023-03-10")
    resp = _step(api, case_id, 5, "2023-03-15", {"contacts": "abc"})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "contacts"
    resp = _step(api, case_id, 5, "2023-03-15", {"contacts": [999999]})
    assert resp.status_code == 422 and resp.json()["rule"] == "DEV-5"


def test_superior_step_by_branch_secretary_is_403(world, api_for):
    from dangjian.development.models import Case
    from tests.development.helpers import run_to

    api = api_for(world.user("sec_a"))
    case_id = _open(world, api)
    run_to(world, Case.objects.get(pk=case_id), 12)
    resp = _step(api, case_id, 13, "2024-06-10")
    assert resp.status_code == 403 and "上级党委" in resp.json()["detail"]


def test_plain_member_sees_own_case_but_cannot_record_branch_steps(world, api_for):
    from dangjian.development import services
    from tests.factories import SYSTEM, make_user

    m = make_applicant(world, name="自己")
    user = make_user("self_applicant", member=m)
    case = services.development_case_open(actor=SYSTEM, member=m)
    api = api_for(user)
    assert api.get(f"/api/v1/development/cases/{case.pk}").status_code == 200
    assert _step(api, case.pk, 1, "2023-01-05").status_code == 200  # the applicant's own step
    assert _step(api, case.pk, 2, "2023-01-20").status_code == 403


def test_bad_status_filter_names_choices_by_label(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/development/cases?status=bogus")
    assert resp.status_code == 422
    assert "办理中（open）、已办结（done）" in resp.json()["detail"]


def test_bad_actor_filter_names_choices_by_label(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/development/cases?actor=bogus")
    assert resp.status_code == 422
    assert "党支部（branch）、上级党委（superior）" in resp.json()["detail"]


def test_bad_eligible_list_names_lists_by_label(world, api_for):
    resp = api_for(world.user("sec_a")).get("/api/v1/development/eligible?list=bogus")
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert "本季度可确定为发展对象（candidates）" in detail
    assert "本月预备期满（probation）" in detail
