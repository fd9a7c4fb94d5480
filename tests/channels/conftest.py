import pytest

from dangjian.core.channels import services
from tests.core.standin import StandIn
from tests.factories import SYSTEM


@pytest.fixture
def standin():
    with StandIn() as server:
        yield server


def make_channel(org, kind="wecom_robot", url="http://127.0.0.1:9/hook", secret="", **extra):
    return services.channel_create(
        actor=SYSTEM, org=org, kind=kind, url=url, secret=secret, **extra
    )
