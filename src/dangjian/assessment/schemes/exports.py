"""Excel/CSV and PDF of a scheme's results: the same rows and columns as the matrix. A
missing value is the text 缺项, never 0; the total of an incomplete row is marked so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone

from dangjian.assessment.schemes.results import Results
from dangjian.core.audit import audit
from dangjian.core.exporters import Exporter, Percent
from dangjian.core.models import AuditEntry

MISSING = "缺项"


class ResultsExporter(Exporter):
    title = "考核结果"

    def __init__(self, results: Results):
        self.results = results
        self.headers = [
            "排名",
            "考核对象",
            "总分",
            "满分",
            "得分率",
            "等次",
            "是否完整",
            *[f"{i.code} {i.title}（{i.max_score:g}分）" for i in results.leaves],
        ]

    def rows(self) -> Iterable[Sequence]:
        for row in sorted(self.results.rows, key=lambda r: (r.rank is None, r.rank or 0)):
            yield [
                row.rank,
                row.org.name,
                row.total,
                row.max_total,
                Percent.of_hundred(row.percent),
                row.grade or "—",
                "完整" if row.complete else f"缺 {row.missing} 项",
                *[MISSING if c.is_missing else c.score for c in row.cells],
            ]


def _audit(request, results: Results, fmt: str) -> None:
    scheme = results.scheme
    audit(
        actor=request.user,
        action=AuditEntry.Action.ACTION,
        obj=scheme,
        verb=f"导出考核结果（{fmt}）",
        changes={"scheme": scheme.pk},
    )


def results_response(request, results: Results, fmt: str = "xlsx"):
    _audit(request, results, fmt)
    scheme = results.scheme
    return ResultsExporter(results).response(f"{scheme.title}-第{scheme.version}版-考核结果", fmt)


def results_pdf(request, results: Results):
    from dangjian.core.pdf import pdf_response

    _audit(request, results, "pdf")
    scheme = results.scheme
    rows = sorted(results.rows, key=lambda r: (r.rank is None, r.rank or 0, r.org.path))
    return pdf_response(
        "assessment/schemes/results_pdf.html",
        {"scheme": scheme, "results": results, "rows": rows, "printed_at": timezone.localtime()},
        request=request,
        filename=f"{scheme.title}-考核结果",
    )
