"""Rule parameter labels come from the apps (register_params in their rules.py)."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.standards.params import PARAMS, register_params
from dangjian.standards.registry import Param


def test_apps_contribute_the_labels_of_their_parameters():
    assert PARAMS["sponsors"].label == "入党介绍人"  # development/rules.py
    assert PARAMS["brackets"].label.startswith("交纳比例档次")  # dues/rules.py
    assert PARAMS["pass_base"].label == "赞成票比例的计算基数"  # meetings/rules.py
    assert PARAMS["max_months"].label == "限期改正一般不超过"  # members/rules.py (education)


def test_a_parameter_described_twice_differently_is_refused():
    register_params(sponsors=PARAMS["sponsors"])  # the same description again is fine
    with pytest.raises(ImproperlyConfigured):
        register_params(sponsors=Param("int", label="介绍人"))
    assert PARAMS["sponsors"].label == "入党介绍人"


def test_standards_names_no_parameter_of_a_domain_app():
    import dangjian.standards.params as params

    source = Path(params.__file__).read_text(encoding="utf-8")
    for name in ("sponsors", "brackets", "pass_base", "letter_valid_months", "换届选举"):
        assert f'"{name}' not in source


def test_procedure_names_come_from_the_app_that_runs_them():
    from dangjian.standards.params import applies_text

    assert applies_text({"procedure": "transfer", "step": 2}) == "“组织关系转接”流程第 2 步"
    assert applies_text({"procedure": "election"}) == "“换届选举”流程"
