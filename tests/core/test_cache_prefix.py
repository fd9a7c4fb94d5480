import os

from django.core.cache import cache


def test_each_test_process_has_its_own_cache_prefix():
    assert cache.key_prefix == os.environ.get("PYTEST_XDIST_WORKER", "")
