import cProfile, pstats, time
import pytest

pytestmark = pytest.mark.django_db

def test_prof(client_for, world, settings):
    settings.DEBUG = False
    user = world.user("member_a")
    client = client_for(user)
    client.get("/healthz"); client.get("/members/me/")
    for url in ["/healthz", "/members/me/", "/healthz", "/members/me/"]:
        t = time.perf_counter()
        for _ in range(100):
            client.get(url)
        print("\n###", url, (time.perf_counter() - t) * 10, "ms/req")
    pr = cProfile.Profile(); pr.enable()
    for _ in range(100):
        client.get("/members/me/")
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(0)
