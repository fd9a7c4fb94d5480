"""The results of a survey as a workbook: one row per option (per row and option of a
matrix, per score of a rating, per answer of a text question). Counts only: an anonymous
survey's workbook names no one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dangjian.core.exporters import Exporter, Percent
from dangjian.engagement.models import Question


class SurveyResultsExporter(Exporter):
    title = "调查结果"
    headers = ("题号", "题目", "题型", "行", "选项", "人数", "占比")

    def __init__(self, results: dict):
        self.results = results

    def rows(self) -> Iterable[Sequence]:
        labels = dict(Question.Kind.choices)
        for q in self.results["questions"]:
            kind = labels.get(q["kind"], q["kind"])
            answered = q["answered"]
            if q["kind"] == Question.Kind.TEXT:
                for text in q.get("texts", []):
                    yield (q["number"], q["text"], kind, "", text, 1, None)
                continue
            if q["kind"] == Question.Kind.MATRIX:
                for r, counts in zip(q["rows"], q["counts"], strict=False):
                    for option, n in zip(q["options"], counts, strict=False):
                        share = Percent(n / answered) if answered else None
                        yield (q["number"], q["text"], kind, r, option, n, share)
                continue
            for option, n in zip(q["options"], q["counts"], strict=False):
                share = Percent(n / answered) if answered else None
                yield (q["number"], q["text"], kind, "", option, n, share)
