"""The member picker in the procedure forms: transfers, opening a case, step fields."""

import pytest
from django.urls import reverse

from dangjian.development import services
from dangjian.development.models import Case
from tests.development.helpers import make_applicant, run_to
from tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db

PICK = reverse("members:pick")


def test_transfer_form_chooses_the_member_with_the_picker(world, client_for):
    body = client_for(world.user("sec_a")).get(reverse("development:transfers")).content.decode()
    assert 'hx-post="/members/pick/?source=reach&amp;field=member"' in body
    # No select of every member of the reach on the page.
    assert '<select name="member"' not in body


def test_transfer_of_a_member_out_of_reach_is_a_field_error(world, client_for):
    qian = world.members_b[0]
    data = {"member": qian.pk, "applied_on": "2026-11-02", "to_org": world.d.pk, "note": "调动"}
    resp = client_for(world.user("sec_a")).post(reverse("development:transfers"), data)
    body = resp.content.decode()
    assert resp.status_code == 200 and not Case.objects.of("transfer").exists()
    member_field = body[body.index('id="field-member"') : body.index('id="field-applied_on"')]
    assert "所选党员不在可选范围内" in member_field
    assert "钱七" not in member_field
    assert 'value="调动"' in body  # the note typed is kept


def test_transfer_with_an_error_keeps_the_chosen_member(world, client_for):
    wang = world.members_a[2]
    data = {"member": wang.pk, "applied_on": "2026-11-02", "note": "调动"}  # nowhere to go
    resp = client_for(world.user("sec_a")).post(reverse("development:transfers"), data)
    body = resp.content.decode()
    assert not Case.objects.of("transfer").exists()
    assert f'name="member" value="{wang.pk}" checked' in body and "王五" in body
    assert "is-invalid" in body and "invalid-feedback" in body


def test_transfer_is_created_with_a_picked_member(world, client_for):
    wang = world.members_a[2]
    data = {"member": wang.pk, "applied_on": "2026-11-02", "to_org": world.b.pk}
    resp = client_for(world.user("sec_a")).post(reverse("development:transfers"), data)
    assert resp.status_code == 302
    assert Case.objects.of("transfer").get().member == wang


def test_open_case_picker_offers_applicants_without_an_open_case(world, client_for):
    free = make_applicant(world, name="陈申请")
    busy = make_applicant(world, name="林申请")
    services.development_case_open(actor=SYSTEM, member=busy)
    make_member(world.b, "郑申请", status="applicant")
    c = client_for(world.user("sec_a"))
    body = c.post(f"{PICK}?source=development.applicants&field=member", {}).content.decode()
    assert f'value="{free.pk}"' in body
    assert "林申请" not in body and "郑申请" not in body and "张三" not in body


def test_step_picker_offers_full_members_of_the_system_but_not_the_applicant(world, client_for):
    case = run_to(
        world, services.development_case_open(actor=SYSTEM, member=make_applicant(world)), 4
    )
    c = client_for(world.user("sec_a"))
    page = c.get(reverse("development:case_detail", args=[case.pk])).content.decode()
    assert (
        f"source=development.full_members&amp;field=contacts&amp;case={case.pk}&amp;multiple=1"
        in page
    )
    url = f"{PICK}?source=development.full_members&field=contacts&case={case.pk}&multiple=1"
    body = c.post(url, {"contacts__q": "ww"}).content.decode()
    assert 'type="checkbox"' in body and f'value="{world.members_a[2].pk}"' in body
    assert "陈申请" not in c.post(url, {"contacts__q": "陈"}).content.decode()


def test_step_picker_of_a_case_out_of_reach_answers_404(world, client_for):
    case = services.development_case_open(actor=SYSTEM, member=make_applicant(world))
    url = f"{PICK}?source=development.full_members&field=contacts&case={case.pk}"
    assert client_for(world.user("sec_b")).post(url, {}).status_code == 404
    assert (
        client_for(world.user("sec_b")).post(url.replace(str(case.pk), "x"), {}).status_code == 404
    )
