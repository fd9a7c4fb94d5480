"""The 新增 form of the rectification list: the org from the user's reach, the owner from
the chosen org's subtree, errors next to their fields with what was typed kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Rectification

pytestmark = pytest.mark.django_db

URL = "/assessment/rectifications/"


def soon():
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_org_field_offers_only_orgs_in_reach(world, client_for):
    body = client_for(world.user("sec_a")).get(URL).content.decode()
    form = body[body.index("新增整改事项") :]
    assert f'value="{world.a.pk}"' in form and "预算处党支部" in form
    assert "国库处党支部" not in form and "基础教育处党支部" not in form
    # The owner is chosen with the member picker, refreshed when the org changes.
    assert 'hx-post="/members/pick/?source=org' in form
    assert 'hx-trigger="input changed delay:250ms, search, focus once, change from:#id_org"' in form


def test_secretary_creates_an_item_for_a_member_of_the_org(world, client_for):
    owner = world.members_a[1]
    data = {"org": world.a.pk, "owner": owner.pk, "item": "补齐会议记录", "deadline": soon()}
    resp = client_for(world.user("sec_a")).post(URL, data)
    rect = Rectification.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/{rect.pk}/")
    assert (rect.org, rect.owner, rect.item) == (world.a, owner, "补齐会议记录")


def test_org_out_of_reach_answers_a_field_error_and_creates_nothing(world, client_for):
    data = {
        "org": world.d.pk,
        "owner": world.members_d[0].pk,
        "item": "手工提交的事项",
        "deadline": soon(),
    }
    resp = client_for(world.user("sec_a")).post(URL, data)
    body = resp.content.decode()
    assert resp.status_code == 200
    assert not Rectification.objects.exists()
    org_field = body[body.index('id="field-org"') : body.index('id="field-owner"')]
    assert "is-invalid" in org_field and "所选党组织不在您的管理范围内" in org_field
    assert "周九" not in body  # the member out of reach is not named either
    assert 'value="手工提交的事项"' in body  # what was typed is kept


def test_owner_outside_the_chosen_org_answers_a_field_error(world, client_for):
    data = {"org": world.a.pk, "owner": world.members_b[0].pk, "item": "事项", "deadline": soon()}
    body = client_for(world.user("c1_admin")).post(URL, data).content.decode()
    assert not Rectification.objects.exists()
    owner_field = body[body.index('id="field-owner"') : body.index('id="field-item"')]
    assert "所选党员不在可选范围内" in owner_field and "invalid-feedback" in owner_field


def test_service_error_lands_on_its_field_and_keeps_the_chosen_owner(world, client_for):
    owner = world.members_a[2]
    data = {"org": world.a.pk, "owner": owner.pk, "item": "事项", "deadline": "2020-01-01"}
    body = client_for(world.user("sec_a")).post(URL, data).content.decode()
    assert not Rectification.objects.exists()
    deadline = body[body.index('id="field-deadline"') : body.index('id="field-detail"')]
    assert "整改期限不能早于今天" in deadline and "is-invalid" in deadline
    assert f'name="owner" value="{owner.pk}" checked' in body and "王五" in body


def test_picker_offers_the_chosen_orgs_members_only(world, client_for):
    c = client_for(world.user("c1_admin"))
    url = f"{reverse('members:pick')}?source=org&field=owner"
    body = c.post(url, {"org": world.a.pk, "owner__q": ""}).content.decode()
    assert "张三" in body and "钱七" not in body
    body = c.post(url, {"org": world.b.pk, "owner__q": "qq"}).content.decode()
    assert "钱七" in body and "张三" not in body
