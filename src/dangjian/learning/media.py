"""Serving a lesson's file with HTTP range requests (RFC 9110 §14), so that a player can
seek in audio and video without downloading the whole file first."""

from __future__ import annotations

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _chunks(fh, start: int, length: int):
    try:
        fh.seek(start)
        while length > 0:
            data = fh.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        fh.close()


def ranged_file(request, fieldfile, content_type: str):
    """The whole file (200), one byte range of it (206), or 416 for a range past its end.
    Several ranges in one header are answered with the whole file (allowed by the RFC)."""
    size = fieldfile.size
    match = RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match is None or not (match[1] or match[2]):
        resp = FileResponse(fieldfile.open("rb"), content_type=content_type)
        resp["Accept-Ranges"] = "bytes"
        return resp
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # a suffix: the last N bytes
        start, end = max(0, size - int(match[2])), size - 1
    if start >= size or start > end:
        resp = HttpResponse(status=416)
        resp["Content-Range"] = f"bytes */{size}"
        return resp
    length = end - start + 1
    resp = StreamingHttpResponse(
        _chunks(fieldfile.open("rb"), start, length), status=206, content_type=content_type
    )
    resp["Content-Range"] = f"bytes {start}-{end}/{size}"
    resp["Content-Length"] = str(length)
    resp["Accept-Ranges"] = "bytes"
    return resp
