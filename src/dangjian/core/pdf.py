"""PDF from HTML templates with WeasyPrint, with a clear message when the system lacks it."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string

from dangjian.core.errors import DomainError

MISSING = (
    "无法生成 PDF：服务器缺少 WeasyPrint 所需的系统库或中文字体。"
    "请安装 Debian 软件包 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk 后重试。"
)


class PdfUnavailable(DomainError):
    status = 503


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        raise PdfUnavailable(MISSING)
    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base).write_pdf()


def pdf_response(template: str, context: dict, *, request, filename: str) -> HttpResponse:
    """The PDF as a download, or a page with the Chinese explanation (503), never a 500."""
    try:
        data = render_pdf(template, context, request=request)
    except PdfUnavailable as exc:
        return HttpResponse(
            render_to_string("base/error.html", {"message": exc.message}, request=request),
            status=503,
        )
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}.pdf"
    return resp
