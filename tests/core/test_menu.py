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


def test_the_drawn_menu_marks_the_one_active_entry(client_for, world):
    from dangjian.core.menu import menu_html

    html = str(menu_html(True, "/members/123/"))
    assert '<a href="/members/" class="active" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
    assert '<div class="section">组织与党员</div>' in html
    plain = str(menu_html(False, "/inbox/"))
    assert "党员管理" not in plain and 'href="/inbox/" class="active"' in plain
    body = client_for(world.user("wc_admin")).get("/members/").content.decode()
    assert '<a href="/members/" class="active" aria-current="page">' in body
