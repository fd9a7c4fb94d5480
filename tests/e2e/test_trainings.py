"""A member files an outside training record on a 390 px phone (with its evidence) and sees
it waiting; the secretary approves it in the queue. No CSP violation, no sideways scroll."""

import pytest

from tests.e2e.test_backbone import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_member_files_a_record_on_the_phone(phone390, live_server, world, tmp_path):
    evidence = tmp_path / "证明.pdf"
    evidence.write_bytes(PDF)
    phone = phone390
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(phone, live_server.url, "member_a")
    phone.wait_for_url(f"{live_server.url}/members/me/")
    phone.goto(f"{live_server.url}/learning/m/records/")
    phone.fill("#id_title", "市委党校轮训")
    phone.fill("#id_organizer", "市委党校")
    phone.fill("#id_starts_on", "2026-03-02")
    phone.fill("#id_ends_on", "2026-03-02")
    phone.fill("#id_hours", "6")
    phone.set_input_files("#id_evidence", str(evidence))
    phone.click("button:has-text('提交审核')")
    phone.wait_for_selector("text=已提交，待支部审核认定")
    assert "待审核" in phone.inner_text("body")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not problems
