"""Rule parameters in words: labels from each checker's schema, tables as tables."""

import pytest
from django.urls import reverse

from dangjian.standards.models import Rule
from dangjian.standards.params import finding_value, param_items, schema_for
from dangjian.standards.registry import CHECKERS

pytestmark = pytest.mark.django_db


def test_every_checker_param_has_a_chinese_label_and_labelled_choices():
    assert CHECKERS
    for checker in CHECKERS.values():
        for name, p in checker.params.items():
            assert p.label, f"{checker.name}.{name} has no label"
            assert not p.label.isascii()
            for choice in p.choices or ():
                assert p.choice_label(choice) != choice, f"{checker.name}.{name}={choice}"


def test_every_shipped_rule_shows_its_params_in_words(world):
    for rule in Rule.objects.all():
        schema = schema_for(rule)
        for item in param_items(rule):
            assert item["label"] != item["name"], f"{rule.code}.{item['name']} has no label"
            assert not item["label"].isascii()
            text = item["text"]
            assert "{" not in text and "[" not in text and "True" not in text, (rule.code, text)
            p = schema[item["name"]]
            if p.type == "choice":
                assert text != rule.params.get(item["name"]), (rule.code, item["name"])


def test_rule_page_shows_brackets_as_a_table_in_words(world, client_for):
    body = (
        client_for(world.user("member_a"))
        .get(reverse("standards:rule", args=["DUE-2"]))
        .content.decode()
    )
    assert "交纳比例档次" in body and "月收入上限" in body
    assert "3,000元" in body and "0.5%" in body and "1.5%" in body
    assert "{&#x27;" not in body and "up_to" not in body and "half_up" not in body
    assert "四舍五入" in body
    meeting = (
        client_for(world.user("member_a"))
        .get(reverse("standards:rule", args=["MTG-3"]))
        .content.decode()
    )
    assert "支部委员会会议" in meeting and "每个周期至少召开" in meeting and "1 次" in meeting
    assert "board_meeting" not in meeting
    assert "V 条文原文" in meeting and "数字直接引自规定条文" in meeting


def test_rule_edit_form_has_labelled_fields_and_an_editable_table(world, client_for):
    client = client_for(world.user("admin"))
    page = client.get(reverse("standards:rule_edit", args=["DUE-2"])).content.decode()
    assert "JSON" not in page
    assert 'name="p_brackets-0-up_to" value="3000"' in page
    assert 'name="p_brackets-0-rate" value="0.5"' in page  # shown as a percentage
    assert "交纳比例（%）" in page and "四舍五入" in page
    resp = client.post(
        reverse("standards:rule_edit", args=["DUE-2"]),
        {
            "effective_from": "2027-01-01",
            "change_reason": "调整档次",
            "title": "在职党员按月工资收入交纳",
            "severity": "info",
            "enabled": "on",
            "p_quantum": "0.1",
            "p_rounding": "up",
            "p_brackets-rows": "6",
            "p_brackets-0-up_to": "3000",
            "p_brackets-0-rate": "0.5",
            "p_brackets-1-up_to": "5000",
            "p_brackets-1-rate": "1",
            "p_brackets-1-delete": "on",
            "p_brackets-2-up_to": "10000",
            "p_brackets-2-rate": "1.5",
            "p_brackets-3-rate": "2",
            "p_brackets-4-up_to": "",
            "p_brackets-4-rate": "",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    new = Rule.objects.get(code="DUE-2", version=2)
    assert new.params == {
        "quantum": "0.1",
        "rounding": "up",
        "brackets": [
            {"up_to": "3000", "rate": "0.005"},
            {"up_to": "10000", "rate": "0.015"},
            {"rate": "0.02"},
        ],
    }


def test_a_bad_table_row_is_reported_next_to_the_table(world, client_for):
    resp = client_for(world.user("admin")).post(
        reverse("standards:rule_edit", args=["DUE-3"]),
        {
            "effective_from": "2027-01-01",
            "change_reason": "x",
            "title": "t",
            "severity": "info",
            "p_quantum": "0.01",
            "p_rounding": "half_up",
            "p_brackets-rows": "2",
            "p_brackets-0-up_to": "abc",
            "p_brackets-0-rate": "0.5",
            "p_brackets-1-up_to": "",
            "p_brackets-1-rate": "",
        },
    )
    assert resp.status_code == 200
    assert "第1行：月收入上限（含；最后一档留空）应为数字" in resp.content.decode()
    assert Rule.objects.filter(code="DUE-3").count() == 1


def test_finding_values_in_words():
    assert finding_value(None) == "—"
    assert finding_value(True) == "是"
    assert finding_value(3, "次") == "3 次"
    assert finding_value(["书记", "副书记"]) == "书记、副书记"
    assert finding_value("正式党员5，支委3") == "正式党员5，支委3"
