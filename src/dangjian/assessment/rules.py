"""The assessment's rules that it reads directly (no checker): ANT-2 (what an indicator may
never be based on) and ASM-1 (default grade bands), in words for the library screens."""

from __future__ import annotations

from dangjian.standards.params import register_params
from dangjian.standards.registry import Param

register_params(
    refused_metrics=Param("list", label="不得作为考核依据的平台指标"),
    refused_words=Param("list", label="指标名称中出现即拒绝的词"),
    bands=Param(
        "table",
        label="考核等次（按得分率）",
        columns={
            "min": Param("decimal", min=0, max=100, label="得分率不低于", unit="分（百分制）"),
            "label": Param("str", label="等次"),
        },
    ),
)
