"""The member's dues page is kept while nothing it shows changes (``core.pagecache`` with
``dues.selectors.mine_stamp``): a payment, a void and a new profile show at once; the
months that count as leaving the party come from DUE-10, not the template."""

import pytest

from dangjian.core.calendar import add_months
from dangjian.dues import services
from dangjian.dues.rates import month_label
from dangjian.dues.selectors import current_month
from tests.dues.conftest import pay, set_profile
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

MINE = "/dues/me/"


@pytest.fixture
def mine(world, client_for):
    member = world.members_a[1]  # the account member_a
    set_profile(member, month=add_months(current_month(), -3))
    client = client_for(world.user("member_a"))
    client.get("/healthz")
    first = client.get(MINE).content.decode()
    assert "4 个月" in first and "连续 6 个月不交纳党费" in first  # DUE-10's violation_months
    return client, member


def _kept(client, django_assert_max_num_queries) -> str:
    with django_assert_max_num_queries(3):  # the session, the user, the stamp
        return client.get(MINE).content.decode()


def test_the_page_is_kept_until_a_payment_and_its_void(mine, django_assert_max_num_queries):
    client, member = mine
    assert "4 个月" in _kept(client, django_assert_max_num_queries)
    payment = pay(member, [month_label(add_months(current_month(), -3))])
    assert "3 个月" in client.get(MINE).content.decode()
    assert "3 个月" in _kept(client, django_assert_max_num_queries)
    services.dues_payment_void(actor=SYSTEM, payment=payment, reason="重复录入")
    assert "4 个月" in client.get(MINE).content.decode()


def test_a_new_profile_shows_at_once(mine):
    client, member = mine
    set_profile(member, month=current_month(), base="8000.00")
    assert "8,000.00" in client.get(MINE).content.decode()
