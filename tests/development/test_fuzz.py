"""Whatever a client sends as step data, the answer is a domain status, never a 500."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.development import services
from dangjian.development.models import Case
from tests.development.helpers import make_applicant, run_to
from tests.factories import SYSTEM

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.dates(min_value=dt.date(1, 1, 1)).map(str),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = [
    *("contacts", "sponsors", "reviews", "days", "hours", "notice_start", "notice_end"),
    *("leaving_on", "voting_members", "present", "for", "meeting", "special_reason", "group"),
]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    step=st.sampled_from([5, 6, 9, 11, 12, 15]),
    data=st.dictionaries(st.sampled_from(KEYS), junk, max_size=4),
    done_on=st.one_of(st.dates(min_value=dt.date(1, 1, 1)).map(str), st.text(max_size=10)),
)
def test_junk_step_data_never_gives_500(world, api_for, step, data, done_on):
    name = f"模糊{step}"
    case = Case.objects.filter(member__name=name).first()
    if case is None:
        member = make_applicant(world, name=name)
        case = services.development_case_open(actor=SYSTEM, member=member)
        run_to(world, case, step - 1)
    api = api_for(world.user("admin"))
    resp = api.post(
        f"/api/v1/development/cases/{case.pk}/steps/{step}",
        {"done_on": done_on, "data": data},
        content_type="application/json",
    )
    assert resp.status_code in (200, 409, 422), resp.content


ELECTION_KEYS = ["seats", "candidates", "voting_members", "present", "votes", "term_start",
                 "term_end", "positions"]  # fmt: skip


def _election_at(world, step):
    from dangjian.orgs.services import board_create

    case = Case.objects.filter(procedure__code="election", data__fuzz=step).first()
    if case is not None:
        return case
    board_create(
        actor=SYSTEM, org=world.a, term_start=dt.date(2024, 1, 1), term_end=dt.date.today()
    )
    case = services.election_open(actor=SYSTEM, org=world.a)
    ids = [m.pk for m in world.members_a]
    valid = {
        1: {"seats": 3},
        2: {},
        3: {"candidates": ids},
        4: {"voting_members": 4, "present": 4, "votes": {str(i): 4 for i in ids[:3]}},
    }
    for n in range(1, step):
        case = services.case_step_record(
            actor=SYSTEM, case=case, number=n, done_on=dt.date.today(), data=valid[n]
        )
    Case.objects.filter(pk=case.pk).update(data={**case.data, "fuzz": step})
    return case


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.parametrize("step", [1, 3, 4, 5])
@given(data=st.dictionaries(st.sampled_from(ELECTION_KEYS), junk, max_size=4))
def test_junk_election_data_never_gives_500(world, api_for, step, data):
    case = _election_at(world, step)
    resp = api_for(world.user("admin")).post(
        f"/api/v1/development/elections/{case.pk}/steps/{step}",
        {"done_on": str(dt.date.today()), "data": data},
        content_type="application/json",
    )
    assert resp.status_code in (200, 409, 422), resp.content
