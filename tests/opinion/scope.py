"""Objects for the scope matrix (tests/test_scope_matrix.py): per path parameter, one object
of branch A and one of branch B, made through the services."""

from __future__ import annotations

from tests.opinion.conftest import make_case, make_item, make_keywords, make_source


def scope_objects(world) -> dict[str, tuple[int, int]]:
    made = {}
    for key, org in (("a", world.a), ("b", world.b)):
        source = make_source(org, url=f"https://news.example.cn/{key}.xml", name=f"来源{key}")
        kset = make_keywords(org, words=["预算"], exclude=[])
        item = make_item(org, title=f"预算公开问题{key}")
        case = make_case(make_item(org, title=f"收费问题{key}"))
        made[key] = (source.pk, kset.pk, item.pk, case.pk)
    return {
        "opinion_source_id": (made["a"][0], made["b"][0]),
        "keyword_set_id": (made["a"][1], made["b"][1]),
        "opinion_item_id": (made["a"][2], made["b"][2]),
        "opinion_case_id": (made["a"][3], made["b"][3]),
    }


def write_payloads(world) -> dict:
    return {
        ("POST", "/api/v1/opinion/items/{opinion_item_id}/case"): {
            "level": "general",
            "analysis": "研判",
        },
        ("POST", "/api/v1/opinion/cases/{opinion_case_id}/answer"): {"answer": "已回应"},
        ("POST", "/api/v1/opinion/cases/{opinion_case_id}/close"): {"closure": "办结"},
    }
