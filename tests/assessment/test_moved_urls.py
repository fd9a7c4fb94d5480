"""The rectification pages moved from /meetings/ to /assessment/: old links still arrive."""


def test_old_rectification_links_redirect_permanently(client):
    response = client.get("/meetings/rectifications/12/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/assessment/rectifications/12/?x=1"
    assert client.get("/meetings/rectifications/")["Location"] == "/assessment/rectifications/"
