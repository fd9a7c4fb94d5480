from __future__ import annotations

import pytest

from dangjian.standards.ask import sources
from dangjian.standards.ask.index import invalidate


@pytest.fixture
def faq():
    """A FAQ source registered for the test (a stand-in for the engagement app's), removed
    afterwards."""
    rows = [
        {
            "id": 1,
            "question": "党员证明怎么开具",
            "answer": "向所在党支部申请，由党委组织部门出具。",
            "url": "/public/faq/1/",
        },
        {"id": 2, "question": "外链不被信任", "answer": "只链接本站。", "url": "javascript:x"},
        {"id": 3},  # malformed: no question
    ]
    sources.register_source("test_faq", lambda: rows)
    yield rows
    sources.unregister_source("test_faq")
    invalidate()
