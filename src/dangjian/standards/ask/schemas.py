from __future__ import annotations

from ninja import Schema


class AskParamOut(Schema):
    name: str
    label: str
    text: str


class AskStandingOut(Schema):
    """How the asker's org (with its subtree) stands on a checked rule this year."""

    org: int
    org_name: str
    year: int
    counts: dict[str, int]  # status → findings
    worst: str
    worst_label: str


class AskAnswerOut(Schema):
    rule: str | None
    standard: str | None
    article: str | None
    title: str
    score: float
    kind: str  # rule | article | faq
    standard_title: str = ""
    article_text: str = ""
    params: list[AskParamOut] = []
    checked: bool = False
    standing: AskStandingOut | None = None
    answer: str = ""  # a FAQ entry's answer
    url: str = ""


class AskOut(Schema):
    question: str
    answers: list[AskAnswerOut]
    message: str = ""
    org: int | None = None
