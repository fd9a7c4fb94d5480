"""Steps by stable code, one schema per validation (parsing, form, OpenAPI), the SYSTEM
actor, and the one authorization answer (404 outside reach, 403 for role rules)."""

import datetime as dt

import pytest

from dangjian.core.actors import SYSTEM
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.development import services
from dangjian.development.forms import StepForm
from dangjian.development.models import Case, Procedure
from dangjian.development.procedures import procedure_current
from dangjian.development.selectors import case_steps
from dangjian.development.stepdata import SCHEMAS, parse
from dangjian.development.steps import ElectionStep, Step, TransferStep
from tests.development.helpers import make_applicant, run_to
from tests.factories import make_user


@pytest.mark.parametrize(
    "code,enum",
    [
        (Procedure.Code.DEVELOPMENT, Step),
        (Procedure.Code.TRANSFER, TransferStep),
        (Procedure.Code.ELECTION, ElectionStep),
    ],
)
def test_every_template_step_carries_its_stable_code_in_order(db, code, enum):
    steps = list(procedure_current(code).steps.order_by("number"))
    assert [s.code for s in steps] == [e.value for e in enum]
    assert [s.number for s in steps] == list(range(1, len(enum) + 1))


def test_every_named_validation_of_the_templates_has_a_schema(db):
    for code in Procedure.Code.values:
        for step in procedure_current(code).steps.all():
            assert (step.validation or "min_age") in SCHEMAS, step


def test_records_are_found_by_step_code(world):
    case = services.development_case_open(actor=SYSTEM, member=make_applicant(world))
    case = run_to(world, case, 3)
    _, records = case_steps(case)
    assert records.of(Step.ACTIVIST).done_on == dt.date(2023, 3, 1)
    assert records.of(Step.CANDIDATE) is None
    assert records.number(Step.ADMISSION_MEETING) == 15


def test_input_errors_are_chinese_and_name_every_field():
    with pytest.raises(DomainError) as exc:
        parse("vote", {"present": "x", "for": True, "against": -1})
    fields = {e["field"]: e["message"] for e in exc.value.errors}
    assert fields["voting_members"] == "请填写应到会有表决权人数"
    assert fields["present"] == "实到会有表决权人数应为整数"
    assert fields["for"] == "赞成票数应为整数"
    assert fields["against"] == "反对票数应为不小于 0 的整数"
    assert exc.value.status == 422


def test_a_bad_review_date_names_the_value_and_the_rule():
    with pytest.raises(DomainError) as exc:
        parse("reviews", {"reviews": ["2024-01-01", "2023-13-01"]})
    assert exc.value.message == "考察日期格式应为 YYYY-MM-DD：2023-13-01"
    assert exc.value.field == "reviews" and exc.value.rule == "DEV-6"


def test_parsed_values_are_typed():
    data = parse("training", {"days": "3", "hours": ""})
    assert data.days == 3 and data.hours is None
    board = parse("board", {"term_end": "2029-01-01", "positions": [{"member": "7"}]})
    assert board.term_end == dt.date(2029, 1, 1) and board.positions[0].member == 7


def test_step_form_fields_come_from_the_schema_with_labels_and_units(world):
    case = services.development_case_open(actor=SYSTEM, member=make_applicant(world))
    case = run_to(world, case, 10)
    steps, records = case_steps(case)
    form = StepForm(case=case, step=steps[11], records=records, user=world.user("sec_a"))
    assert form.fields["days"].label == "培训天数（天）"
    assert form.fields["hours"].label == "培训学时（学时）"
    assert form.fields["days"].min_value == 0 and not form.fields["days"].required
    vote = StepForm(case=case, step=steps[15], records=records, user=world.user("sec_a"))
    assert list(vote.fields)[2:] == ["voting_members", "present", "for", "against", "abstain",
                                     "meeting"]  # fmt: skip
    assert vote.fields["voting_members"].required and vote.fields["voting_members"].label == (
        "应到会有表决权人数（人）"
    )


def test_openapi_describes_the_step_data_from_the_schemas(client):
    body = client.get("/api/v1/openapi.json").json()
    text = str(body["components"]["schemas"]["StepIn"])
    assert "培训天数" in text and "letter_number" in text and "positions" in text


def test_the_system_actor_is_audited_as_system(world):
    from dangjian.orgs.services import board_create

    board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2022, 1, 1), term_end=dt.date.today()
    )
    case = services.election_open(actor=SYSTEM, org=world.a)
    entry = AuditEntry.objects.filter(object_id=str(case.pk), verb="启动换届选举").get()
    assert entry.actor is None and entry.actor_name == "系统"


def _post(api, url, body):
    return api.post(url, body, content_type="application/json")


def test_plain_member_cancelling_their_own_case_gets_404_and_nothing_changes(world, api_for):
    m = make_applicant(world, name="自己")
    case = services.development_case_open(actor=SYSTEM, member=m)
    api = api_for(make_user("self_applicant", member=m))
    assert api.get(f"/api/v1/development/cases/{case.pk}").status_code == 200
    resp = _post(api, f"/api/v1/development/cases/{case.pk}/cancel", {"reason": "不想"})
    assert resp.status_code == 404
    assert Case.objects.get(pk=case.pk).status == "open"


def test_member_applying_for_another_members_transfer_gets_404(world, api_for):
    api = api_for(world.user("member_a"))
    other = world.members_a[2]
    resp = _post(
        api,
        "/api/v1/development/transfers",
        {"member": other.pk, "applied_on": str(dt.date.today()), "to_org": world.b.pk},
    )
    assert resp.status_code == 404
    assert not Case.objects.filter(member=other).exists()


def test_receiving_org_may_not_cancel_a_transfer_it_can_see_403(world, api_for):
    from tests.factories import give_role

    case = services.transfer_create(
        actor=SYSTEM, member=world.members_a[2], applied_on=dt.date.today(), to_org=world.d
    )
    sec_d = make_user("sec_d_cancel")
    give_role(sec_d, world.d)
    resp = _post(api_for(sec_d), f"/api/v1/development/transfers/{case.pk}/cancel", {"reason": "x"})
    assert resp.status_code == 403 and "办理组织" in resp.json()["detail"]
