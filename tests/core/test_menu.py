from dangjian.core.menu import build_menu


def active_labels(path):
    return [e["label"] for s in build_menu(True, path) for e in s["items"] if e["active"]]


def test_longest_matching_entry_is_the_only_active_one():
    assert active_labels("/meetings/plan/") == ["年度计划"]
    assert active_labels("/meetings/12/") == ["三会一课"]
    assert active_labels("/members/3/") == ["党员管理"]


def test_plain_member_sees_no_back_office_entries():
    labels = [e["label"] for s in build_menu(False, "/") for e in s["items"]]
    assert labels == ["工作台", "消息"]
