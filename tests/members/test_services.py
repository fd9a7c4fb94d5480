import datetime as dt

import pytest

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEntry
from dangjian.members.models import Member, MemberEvent
from dangjian.members.selectors import member_list
from dangjian.members.services import member_reveal_id, member_update
from tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db


def test_pinyin_initials_find_zhang_san(world):
    found = member_list(user=world.user("admin"), q="zs")
    assert [m.name for m in found] == ["张三"]


def test_full_pinyin_and_prefix(world):
    assert [m.name for m in member_list(user=world.user("admin"), q="zhaoliu")] == ["赵六"]
    assert {m.name for m in member_list(user=world.user("admin"), q="w")} == {"王五", "吴十"}


@pytest.mark.parametrize("q", ["z", "zs", "zh", "zhangsan", "zz", "zengz", "zu", "l", "wu", "xyz"])
def test_pinyin_search_finds_exactly_the_names_that_start_with_it(world, q):
    for name in ["曾祖", "朱", "左"]:  # zengzu/zz, zhu/z, zuo/z: prefixes ending in z
        make_member(world.a, name)
    expected = {
        m.name
        for m in Member.objects.all()
        if m.name_initials.startswith(q) or m.name_pinyin.startswith(q)
    }
    assert {m.name for m in member_list(user=world.user("admin"), q=q)} == expected


def test_initials_search_counts_like_it_lists(world):
    found = member_list(user=world.user("admin"), q="zl")
    assert found.count() == len(list(found)) == 1


def test_id_tail_finds_only_that_tail(world):
    member = world.members_b[1]
    tail = member.id_number_masked[-4:]
    found = member_list(user=world.user("admin"), q=tail)
    assert all(m.id_number_masked.endswith(tail) for m in found) and member in found
    assert member in member_list(user=world.user("admin"), q=f"{tail[:2]}-{tail[2:]}")


def test_search_by_last_digits_of_id_number(world):
    member = world.members_b[1]
    tail = member.id_number_masked[-4:]
    assert member in member_list(user=world.user("admin"), q=tail)


def test_search_by_full_id_number_uses_the_keyed_hash(world):
    from dangjian.core import crypto

    member = world.members_d[0]
    number = crypto.decrypt(member.id_number_encrypted)
    assert list(member_list(user=world.user("admin"), q=number)) == [member]


def test_list_sorts_by_pinyin(world):
    names = [m.name for m in member_list(user=world.user("sec_a"))]
    assert names == ["李四", "王五", "张三", "赵六"]


def test_search_stays_inside_reach(world):
    assert not member_list(user=world.user("sec_a"), q="qq").exists()  # 钱七 is in branch B


def test_status_change_is_kept_in_history_with_reason_and_actor(world):
    member = make_member(world.a, "孙悟空", status="candidate")
    member_update(
        actor=world.user("sec_a"),
        member=member,
        status="probationary",
        joined_at=dt.date(2026, 7, 1),
        reason="支部大会通过",
        on=dt.date(2026, 7, 1),
    )
    event = MemberEvent.objects.filter(member=member, kind="status").get()
    assert (event.from_status, event.to_status, event.reason) == (
        "candidate",
        "probationary",
        "支部大会通过",
    )
    assert event.actor == world.user("sec_a")


def test_status_requires_its_stage_date(world):
    member = make_member(world.a, "猪八戒", status="candidate")
    with pytest.raises(DomainError, match="须填写入党日期"):
        member_update(actor=SYSTEM, member=member, status="probationary")


def test_stage_dates_must_be_in_order(world):
    with pytest.raises(DomainError, match="不能早于"):
        make_member(world.a, "沙僧", status="full", full_at=dt.date(2006, 1, 1))


def test_moving_outside_reach_is_refused(world):
    with pytest.raises(DomainError, match="不在您的管理范围内"):
        member_update(actor=world.user("sec_a"), member=world.members_a[3], org=world.b)


def test_birth_date_change_must_still_match_id_number(world):
    with pytest.raises(DomainError, match="出生日期"):
        member_update(actor=SYSTEM, member=world.members_a[3], birth_date=dt.date(1985, 3, 13))


def test_party_age_counts_from_full_membership(world):
    member = world.members_a[0]
    today = dt.date.today()
    expected = today.year - 2008 - ((today.month, today.day) < (1, 1))
    assert member.party_age == expected


def test_plain_member_may_not_reveal_others(world):
    with pytest.raises(DomainError, match="没有查看完整身份证号的权限"):
        member_reveal_id(actor=world.user("member_a"), member=world.members_a[3])
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_id_number_is_encrypted_at_rest(world):
    raw = (
        Member.objects.filter(pk=world.members_a[0].pk)
        .values_list("id_number_encrypted", "id_number_masked")
        .get()
    )
    assert raw[0].startswith("gAAAA") and "*" in raw[1]
