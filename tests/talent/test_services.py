"""The review rules of the talent pool and the writes of tracks and SUP-6 facts."""

from __future__ import annotations

import pytest

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import AuditEntry
from dangjian.talent import services
from dangjian.talent.models import Assignment, Skill, Talent
from tests.factories import SYSTEM, make_member
from tests.talent.conftest import make_course, make_talent, make_track

pytestmark = pytest.mark.django_db


def test_nomination_records_skills_tags_and_an_audit_entry(world):
    talent = services.talent_nominate(
        actor=world.user("sec_a"),
        member=world.members_a[1],
        skills=services.skills_named(["信息安全", "新媒体"]),
        tags=["短视频剪辑", "Python"],
        reason="负责处室网站维护",
    )
    assert talent.status == Talent.Status.NOMINATED
    assert talent.org == world.a
    assert sorted(s.name for s in talent.skills.all()) == ["信息安全", "新媒体"]
    assert talent.tag_list == ["短视频剪辑", "Python"]
    assert AuditEntry.objects.filter(object_type="talent.talent", object_id=str(talent.pk)).exists()


def test_unknown_skill_is_named_in_the_message(world):
    with pytest.raises(DomainError) as exc:
        services.skills_named(["信息安全", "区块链", "量子"])
    assert "区块链、量子" in exc.value.message
    assert exc.value.field == "skills"


def test_member_already_in_the_pool_cannot_be_nominated_twice(world):
    make_talent(world.members_a[1], admit=True)
    with pytest.raises(Conflict):
        make_talent(world.members_a[1])


def test_applicant_is_not_nominated(world):
    applicant = make_member(world.a, "陈一", status="applicant")
    with pytest.raises(DomainError, match="只收录党员"):
        make_talent(applicant)


def test_branch_secretary_cannot_admit_her_own_nominee(world):
    talent = make_talent(world.members_a[1])
    with pytest.raises(Forbidden):
        services.talent_review(actor=world.user("sec_a"), talent=talent, approve=True)
    assert Talent.objects.get(pk=talent.pk).status == Talent.Status.NOMINATED


def test_committee_above_admits_and_the_profile_counts_as_confirmed(world):
    talent = make_talent(world.members_a[1])
    talent = services.talent_review(actor=world.user("c1_admin"), talent=talent, approve=True)
    assert talent.status == Talent.Status.ADMITTED
    assert talent.confirmed_on is not None
    assert talent.reviewed_by == world.user("c1_admin")


def test_admission_needs_the_members_consent(world):
    talent = make_talent(world.members_a[1], consent=False)
    with pytest.raises(DomainError, match="本人同意"):
        services.talent_review(actor=world.user("c1_admin"), talent=talent, approve=True)
    services.talent_consent(actor=world.user("member_a"), talent=talent)
    talent = services.talent_review(actor=world.user("c1_admin"), talent=talent, approve=True)
    assert talent.consent_by == Talent.Consent.MEMBER


def test_only_the_member_confirms_consent(world):
    talent = make_talent(world.members_a[1], consent=False)
    with pytest.raises(Forbidden):
        services.talent_consent(actor=world.user("sec_a"), talent=talent)


def test_decline_needs_a_reason_and_a_review_is_not_repeated(world):
    talent = make_talent(world.members_a[1])
    with pytest.raises(DomainError, match="审核意见"):
        services.talent_review(actor=world.user("c1_admin"), talent=talent, approve=False)
    services.talent_review(
        actor=world.user("c1_admin"), talent=talent, approve=False, note="专业方向不符"
    )
    with pytest.raises(Conflict):
        services.talent_review(actor=world.user("c1_admin"), talent=talent, approve=True)
    # declined: may be nominated again later
    assert make_talent(world.members_a[1]).status == Talent.Status.NOMINATED


def test_reconfirm_and_retire(world):
    talent = make_talent(world.members_a[1], admit=True)
    talent = services.talent_confirm(
        actor=world.user("sec_a"), talent=talent, availability="limited", tags="公文写作"
    )
    assert talent.availability == "limited" and talent.tags == "公文写作"
    talent = services.talent_retire(actor=world.user("sec_a"), talent=talent, reason="调离")
    assert talent.status == Talent.Status.RETIRED
    with pytest.raises(Conflict):
        services.talent_confirm(actor=world.user("sec_a"), talent=talent, availability="available")


def test_certificate_expiry_not_before_issue(world):
    import datetime as dt

    talent = make_talent(world.members_a[1], admit=True)
    with pytest.raises(DomainError, match="有效期"):
        services.certificate_add(
            actor=SYSTEM,
            talent=talent,
            name="CISP",
            issued_on=dt.date(2024, 5, 1),
            expires_on=dt.date(2024, 4, 1),
        )
    cert = services.certificate_add(
        actor=SYSTEM, talent=talent, name="CISP", issued_on=dt.date(2024, 5, 1)
    )
    assert cert.expires_on is None


def test_assignment_to_an_initiative_and_what_they_did(world):
    from tests.work.conftest import make_initiative

    initiative = make_initiative(world.a)
    talent = make_talent(world.members_a[1], admit=True)
    row = services.assignment_create(
        actor=world.user("sec_a"),
        talent=talent,
        org=world.a,
        kind="initiative",
        title="",
        initiative=initiative,
        started_on=initiative.created_at.date(),
    )
    assert row.title == initiative.title
    row = services.assignment_close(
        actor=world.user("sec_a"), assignment=row, outcome="完成网站改版"
    )
    assert Assignment.objects.get(pk=row.pk).outcome == "完成网站改版"
    with pytest.raises(Conflict):
        services.assignment_close(actor=world.user("sec_a"), assignment=row, outcome="再次")


def test_assignment_refused_for_a_nominee_not_yet_admitted(world):
    import datetime as dt

    talent = make_talent(world.members_a[1])
    with pytest.raises(Conflict):
        services.assignment_create(
            actor=SYSTEM,
            talent=talent,
            org=world.a,
            kind="publicity",
            title="宣传稿",
            started_on=dt.date(2026, 1, 5),
        )


def test_skill_vocabulary_is_kept_by_the_work_committee(world):
    with pytest.raises(Forbidden):
        services.skill_add(actor=world.user("c1_admin"), name="区块链")
    skill = services.skill_add(actor=world.user("wc_admin"), name="区块链")
    assert Skill.objects.filter(name="区块链", pk=skill.pk).exists()


def test_track_needs_hours_for_a_role_and_refuses_a_draft_course(world):
    with pytest.raises(DomainError, match="至少为一种职务"):
        make_track(world.w, hours={"secretary": ""})
    with pytest.raises(DomainError, match="职务无效"):
        make_track(world.w, hours={"boss": "3"})
    track = make_track(world.w)
    draft = make_course(world.w)
    draft.status = "draft"
    draft.save()
    with pytest.raises(DomainError, match="尚未发布"):
        services.track_item_add(actor=SYSTEM, track=track, course=draft)


def test_staff_count_needs_a_unit_and_a_sensible_number(world):
    from tests.talent.conftest import set_unit

    with pytest.raises(DomainError, match="未关联单位"):
        services.unit_staff_count_set(actor=SYSTEM, org=world.c1, staff_count=100)
    set_unit(world.c1, "市财政局")
    for bad in (0, -3, "十", 10_000_000):
        with pytest.raises(DomainError):
            services.unit_staff_count_set(actor=SYSTEM, org=world.c1, staff_count=bad)
    unit = services.unit_staff_count_set(actor=SYSTEM, org=world.c1, staff_count="200")
    assert unit.staff_count == 200
