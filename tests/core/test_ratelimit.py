from django.http import HttpResponse
from django.test import RequestFactory

from dangjian.core.ratelimit import rate_limited


def test_a_client_over_the_limit_gets_429_and_others_do_not(settings):
    calls = []

    @rate_limited("test-scope", per_minute=2)
    def view(request):
        calls.append(1)
        return HttpResponse("ok")

    rf = RequestFactory()
    one = [view(rf.get("/public/x/", REMOTE_ADDR="10.0.0.1")).status_code for _ in range(3)]
    assert one == [200, 200, 429]
    assert len(calls) == 2  # the refused request never reached the view
    assert view(rf.get("/public/x/", REMOTE_ADDR="10.0.0.2")).status_code == 200
    api = view(rf.get("/api/v1/public/x", REMOTE_ADDR="10.0.0.1"))
    assert api.status_code == 429
    assert "请求过于频繁" in api.content.decode()
