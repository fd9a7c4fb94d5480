"""The 帮助 link: every page opens the guide section that explains it, inside the platform."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, reverse

from dangjian.core import help as guides
from dangjian.core.menu import MENU
from dangjian.core.scope import Reach

# The pages of the member shell's tab bar and its home, which the member guide must explain.
MEMBER_PAGES = ["members:me", "meetings:my_meetings", "meetings:my_code", "dues:mine"]


def _menu_url_names() -> list[str]:
    names = []
    for _, items in MENU:
        for item in items:
            try:
                reverse(item.url_name)
            except NoReverseMatch:  # a module still 建设中: no page to explain yet
                continue
            names.append(item.url_name)
    return names


def test_every_menu_page_maps_to_an_anchor_that_a_guide_has():
    every = set().union(*(guides.anchors_of(g) for g in guides.GUIDES))
    missing = {n: guides.section_for(n) for n in _menu_url_names()}
    missing = {n: s for n, s in missing.items() if s not in every}
    assert missing == {}


def test_every_member_page_maps_to_an_anchor_of_the_member_guide():
    anchors = guides.anchors_of("member")
    assert {n: guides.section_for(n) in anchors for n in MEMBER_PAGES} == dict.fromkeys(
        MEMBER_PAGES, True
    )


def test_every_section_named_in_the_mapping_exists_in_some_guide():
    every = set().union(*(guides.anchors_of(g) for g in guides.GUIDES))
    assert set(guides.SECTIONS.values()) - every == set()


def test_every_image_a_guide_shows_is_a_static_file():
    for guide in guides.GUIDES:
        for name in re.findall(r"\(img/([^)]+)\)", guides.guide_source(guide)):
            assert finders.find(f"guide/{name}"), f"{guide}.md: img/{name}"


def test_guide_images_stay_small():
    total = sum(p.stat().st_size for p in (settings.GUIDE_DIR / "img").iterdir())
    assert total < 3 * 1024 * 1024


def _holding(role: str, path: str) -> Reach:
    return Reach(paths=(path,), roles=frozenset({(path, role)}))


@pytest.mark.parametrize(
    "reach, kinds, guide",
    [
        (Reach(everything=True), {}, "leader"),
        (Reach(member_id=1), {}, "member"),
        (_holding("staff", "01"), {"01": "work_committee"}, "committee"),
        (_holding("secretary", "0102"), {"0102": "committee"}, "leader"),
        (_holding("secretary", "010203"), {"010203": "branch"}, "secretary"),
    ],
)
def test_guide_of_each_role(reach, kinds, guide):
    assert guides.guide_of(reach, kinds) == guide


def test_secretary_on_the_record_form_opens_the_recording_section(world, client_for):
    response = client_for(world.user("sec_a")).get("/help/", {"page": "meetings:record"})
    assert response.status_code == 302
    assert response["Location"] == "/help/secretary/#meeting-record"


def test_committee_staff_on_the_heat_map_opens_the_heat_map_section(world, client_for):
    response = client_for(world.user("c1_admin")).get("/help/", {"page": "standards:heatmap"})
    assert response["Location"] == "/help/committee/#heatmap"


def test_member_on_a_page_without_a_section_opens_the_member_guide_top(world, client_for):
    response = client_for(world.user("member_a")).get("/help/", {"page": "core:help_guide"})
    assert response["Location"] == "/help/member/"


def test_a_section_missing_from_ones_own_guide_opens_another_guide(world, client_for):
    response = client_for(world.user("member_a")).get("/help/", {"page": "core:audit"})
    guide, anchor = response["Location"].split("#")
    assert anchor == "audit" and guide != "/help/member/"


def test_help_page_renders_the_guide_with_its_images(world, client_for):
    client = client_for(world.user("sec_a"))
    body = client.get("/help/secretary/").content.decode()
    sources = re.findall(r'<img src="([^"]+)"', body)
    assert "/static/guide/secretary-record-phone.jpg" in sources
    assert all(finders.find(s.removeprefix("/static/")) for s in sources)
    assert '<a id="meeting-record">' in body


def test_links_between_guides_open_inside_the_platform(world, client_for):
    body = client_for(world.user("sec_a")).get("/help/secretary/").content.decode()
    assert 'href="/help/member/' in body
    assert ".md" not in "".join(re.findall(r'href="([^"]+)"', body))


def test_member_reads_the_guide_in_the_phone_shell(world, client_for):
    body = client_for(world.user("member_a")).get("/help/member/").content.decode()
    assert "dj-tabbar" in body


def test_every_page_carries_a_help_link_for_itself(world, client_for):
    staff = client_for(world.user("sec_a")).get("/meetings/").content.decode()
    assert 'href="/help/?page=meetings%3Alist"' in staff
    phone = client_for(world.user("member_a")).get("/members/me/").content.decode()
    assert 'href="/help/?page=members%3Ame"' in phone


@pytest.mark.parametrize("path", ["/help/nobody/", "/help/..%2Fsecretary.md/", "/help/img/x.jpg"])
def test_unknown_guides_are_not_found(world, client_for, path):
    assert client_for(world.user("sec_a")).get(path).status_code == 404


def test_anonymous_is_sent_to_login(client):
    assert client.get("/help/secretary/").status_code == 302
