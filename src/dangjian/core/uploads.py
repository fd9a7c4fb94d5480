"""What an uploaded file is, judged from its first bytes, never from the name it was sent with.

Each module decides which of these types it accepts (meeting photos: images and PDF;
procedure materials: PDF, images and Office documents). ``accept`` is the one check every
upload goes through: present, not empty, within ``settings.UPLOAD_MAX_BYTES``, and (when the
caller names the types it takes) of one of those types by its content.
"""

from __future__ import annotations

from django.conf import settings

from dangjian.core.errors import DomainError

IMAGE_AND_PDF = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})

# (magic bytes at offset 0, content type, extension)
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", ".doc"),
    (b"ID3", "audio/mpeg", ".mp3"),
    (b"OggS", "audio/ogg", ".ogg"),
    (b"\x1aE\xdf\xa3", "video/webm", ".webm"),
]
# Office Open XML files are ZIP archives; the name tells which kind.
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(head: bytes, filename: str = "") -> tuple[str, str] | None:
    """(content type, extension) of a file starting with ``head`` (16 bytes suffice), or
    None when it is none of the known types."""
    for magic, ctype, ext in SIGNATURES:
        if head.startswith(magic):
            return ctype, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav", ".wav"
    if head[4:8] == b"ftyp":  # ISO media: audio when the brand says M4A, else video
        return ("audio/mp4", ".m4a") if head[8:11] == b"M4A" else ("video/mp4", ".mp4")
    if head.startswith(b"PK\x03\x04"):
        lower = filename.lower()
        for ext, ctype in OFFICE_TYPES.items():
            if lower.endswith(ext):
                return ctype, ext
    return None


def too_large_message() -> str:
    return f"文件过大：不能超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB"


def accept(
    upload,
    types: frozenset[str] | set[str] | None = None,
    *,
    filename: str = "",
    type_message: str = "文件类型不支持",
) -> tuple[str, str] | None:
    """Check an upload (a Django uploaded file or the bytes already read) before use.

    Raises a ``DomainError`` on field ``file`` when it is missing, empty, larger than
    ``settings.UPLOAD_MAX_BYTES``, or, when ``types`` is given, not one of those content
    types judged from its first bytes (``type_message`` says what is accepted). Returns
    (content type, extension) when ``types`` is given, else None. Only the first bytes are
    read; an uploaded file is rewound.
    """
    if upload is None:
        raise DomainError("请选择文件", field="file")
    is_bytes = isinstance(upload, bytes | bytearray)
    size = len(upload) if is_bytes else upload.size
    if size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(too_large_message(), field="file")
    if size == 0:
        raise DomainError("文件为空", field="file")
    if types is None:
        return None
    if is_bytes:
        head = bytes(upload[:16])
    else:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        filename = filename or getattr(upload, "name", "") or ""
    found = sniff(head, filename)
    if found is None or found[0] not in types:
        raise DomainError(type_message, field="file")
    return found
