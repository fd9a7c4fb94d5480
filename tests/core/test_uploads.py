import pytest

from dangjian.core.errors import DomainError
from dangjian.core.uploads import IMAGE_AND_PDF, accept, sniff


def test_type_comes_from_the_bytes_not_the_name():
    assert sniff(b"%PDF-1.7\n", "photo.jpg") == ("application/pdf", ".pdf")
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00", "x.pdf") == ("image/png", ".png")
    assert sniff(b"MZ\x90\x00", "report.pdf") is None


def test_zip_is_an_office_file_only_by_its_name():
    assert sniff(b"PK\x03\x04rest", "a.docx")[1] == ".docx"
    assert sniff(b"PK\x03\x04rest", "a.zip") is None


def test_webp():
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", ".webp")


# --- accept: the one check every upload goes through -------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"x" * 32


def _upload(data: bytes, name: str = "f.bin"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_accept_returns_the_type_judged_by_content_and_rewinds():
    upload = _upload(PNG, "photo.pdf")  # the name lies; the bytes decide
    assert accept(upload, IMAGE_AND_PDF) == ("image/png", ".png")
    assert upload.read() == PNG
    assert accept(PDF, IMAGE_AND_PDF) == ("application/pdf", ".pdf")


def test_accept_without_types_checks_only_presence_and_size():
    assert accept(_upload(b"name,id\n")) is None
    assert accept(b"anything") is None


def test_accept_refuses_another_type_with_the_callers_message():
    with pytest.raises(DomainError, match="只能是图片") as caught:
        accept(_upload(b"MZ" + b"\x00" * 30), IMAGE_AND_PDF, type_message="只能是图片或 PDF")
    assert caught.value.errors[0]["field"] == "file"
    with pytest.raises(DomainError, match="文件类型不支持"):
        accept(PNG, {"application/pdf"})


def test_accept_refuses_missing_and_empty_files():
    with pytest.raises(DomainError, match="请选择文件"):
        accept(None)
    with pytest.raises(DomainError, match="文件为空"):
        accept(b"")
    with pytest.raises(DomainError, match="文件为空"):
        accept(_upload(b""), IMAGE_AND_PDF)


def test_accept_refuses_a_file_over_the_limit_and_says_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    exact = PDF + b"x" * (settings.UPLOAD_MAX_BYTES - len(PDF))
    assert accept(exact, IMAGE_AND_PDF)[0] == "application/pdf"
    with pytest.raises(DomainError, match="文件过大：不能超过 2 MB"):
        accept(exact + b"x", IMAGE_AND_PDF)
    with pytest.raises(DomainError, match="文件过大"):
        accept(_upload(exact + b"x"))
