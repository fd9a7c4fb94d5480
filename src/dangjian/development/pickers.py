"""Candidates of the member picker (``members/pickers.py``) in the procedure forms, each
through the gate. Imported by ``DevelopmentConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from dangjian.core.scope import get_visible
from dangjian.development.models import Case
from dangjian.development.validations import election_eligible
from dangjian.members.models import Member
from dangjian.members.pickers import source


@source("development.applicants")
def applicants(user, params):
    """Applicants in the user's reach without an open development case."""
    busy = Case.objects.of("development").open().values("member_id")
    return (
        Member.objects.manageable_by(user)
        .on_rolls()
        .filter(status=Member.Status.APPLICANT)
        .exclude(pk__in=busy)
    )


def _case(user, params) -> Case:
    """The case named by ``params["case"]``; 404 outside the user's reach."""
    return get_visible(Case.objects.select_related("org"), user, pk=params.get("case"))


def full_members(case: Case, user):
    """Full members of the case's system (introducers, contacts), not the person himself."""
    return (
        Member.objects.visible_to(user)
        .on_rolls()
        .filter(status=Member.Status.FULL)
        .in_subtree(case.org.ancestor_paths()[0])
        .exclude(pk=case.member_id)
    )


def eligible(case: Case, user):
    """Members who may stand in the case's election."""
    return election_eligible(case.org, dt.date.today())


@source("development.full_members")
def _full_members_source(user, params):
    return full_members(_case(user, params), user)


@source("development.eligible")
def _eligible_source(user, params):
    return eligible(_case(user, params), user)
