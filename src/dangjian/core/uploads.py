"""What an uploaded file is, judged from its first bytes, never from the name it was sent with.

Each module decides which of these types it accepts (meeting photos: images and PDF;
procedure materials: PDF, images and Office documents).
"""

from __future__ import annotations

IMAGE_AND_PDF = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})

# (magic bytes at offset 0, content type, extension)
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", ".doc"),
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
    if head.startswith(b"PK\x03\x04"):
        lower = filename.lower()
        for ext, ctype in OFFICE_TYPES.items():
            if lower.endswith(ext):
                return ctype, ext
    return None
