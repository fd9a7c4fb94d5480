"""The member picker (members/pickers.py): one text box, suggestions within reach."""

import pytest
from django import forms
from django.urls import reverse

from dangjian.core import crypto
from dangjian.members.pickers import MemberPickField

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = MemberPickField(source="reach", user=user, label="党员")


def pick(client, q, *, source="reach", **params):
    query = "&".join(f"{k}={v}" for k, v in {"source": source, "field": "member", **params}.items())
    return client.post(f"{reverse('members:pick')}?{query}", {"member__q": q})


def test_it_finds_by_name_pinyin_initials_and_full_pinyin(world, client_for):
    c = client_for(world.user("sec_a"))
    zhang = world.members_a[0]
    for q in ["张三", "zs", "zhangsan", "ZS"]:
        body = pick(c, q).content.decode()
        assert f'value="{zhang.pk}"' in body, q
        assert "李四" not in body


def test_it_finds_by_id_number_tail_and_shows_name_org_and_masked_tail(world, client_for):
    member = world.members_a[2]
    tail = member.id_number_masked[-4:]
    body = pick(client_for(world.user("sec_a")), tail).content.decode()
    assert "王五" in body and "预算处党支部" in body and f"尾号 {tail}" in body
    # Never the full number, never a bare id as text.
    assert crypto.decrypt(member.id_number_encrypted) not in body
    assert f">{member.pk}<" not in body


def test_it_finds_nobody_outside_the_users_reach(world, client_for):
    c = client_for(world.user("sec_a"))
    body = pick(c, "钱七").content.decode()
    assert f'value="{world.members_b[0].pk}"' not in body and "没有找到“钱七”" in body
    # The committee admin above both branches finds him.
    assert "钱七" in pick(client_for(world.user("c1_admin")), "qq").content.decode()


def test_plain_member_is_offered_nobody(world, client_for):
    body = pick(client_for(world.user("member_a")), "").content.decode()
    assert "label" not in body and "没有可选的党员" in body


def test_unknown_source_answers_404(world, client_for):
    assert pick(client_for(world.user("sec_a")), "zs", source="nope").status_code == 404


def test_org_source_asks_for_the_org_first_and_ignores_one_out_of_reach(world, client_for):
    c = client_for(world.user("c1_admin"))
    assert "请先选择党组织" in pick(c, "", source="org").content.decode()
    in_b = pick(c, "", source="org", org=world.b.pk).content.decode()
    assert "钱七" in in_b and "张三" not in in_b
    # An org outside the reach chooses nobody, whatever is typed.
    assert "周九" not in pick(c, "zj", source="org", org=world.d.pk).content.decode()


def test_typed_text_travels_in_the_body_not_the_url(world, client_for):
    html = str(PickForm(user=world.user("sec_a"))["member"])
    assert 'hx-post="/members/pick/?source=reach&amp;field=member"' in html
    assert 'name="member__q"' in html
    assert "required" not in html  # the box is empty once a member is chosen


def test_chosen_member_is_drawn_checked_with_its_name(world, client_for):
    zhang = world.members_a[0]
    field = MemberPickField(source="reach", user=world.user("sec_a"), label="党员")
    html = field.widget.render("member", str(zhang.pk), {"id": "id_member"})
    assert f'name="member" value="{zhang.pk}" checked' in html and "张三" in html
    # A member out of reach posted by hand is not drawn (nor named).
    qian = world.members_b[0]
    assert "钱七" not in field.widget.render("member", str(qian.pk), {"id": "id_member"})


def test_a_full_id_number_finds_exactly_that_member(world, client_for):
    member = world.members_a[3]
    number = crypto.decrypt(member.id_number_encrypted)
    body = pick(client_for(world.user("sec_a")), number).content.decode()
    assert f'value="{member.pk}"' in body and body.count("<label") == 1
