from dangjian.core.uploads import sniff


def test_type_comes_from_the_bytes_not_the_name():
    assert sniff(b"%PDF-1.7\n", "photo.jpg") == ("application/pdf", ".pdf")
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00", "x.pdf") == ("image/png", ".png")
    assert sniff(b"MZ\x90\x00", "report.pdf") is None


def test_zip_is_an_office_file_only_by_its_name():
    assert sniff(b"PK\x03\x04rest", "a.docx")[1] == ".docx"
    assert sniff(b"PK\x03\x04rest", "a.zip") is None


def test_webp():
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", ".webp")
