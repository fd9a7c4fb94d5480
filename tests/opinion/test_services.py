import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.errors import Conflict, DomainError, Forbidden
from dangjian.core.models import Notification
from dangjian.opinion import services, text
from dangjian.opinion.fetch import FetchError
from dangjian.opinion.models import OpinionCase, OpinionItem, OpinionSource
from dangjian.opinion.tasks import fetch_sources, remind_late_cases
from dangjian.standards.models import Rule
from tests.factories import SYSTEM
from tests.opinion.conftest import make_case, make_item, make_keywords, make_source

pytestmark = pytest.mark.django_db


# --- fetch against a feed served on loopback ---------------------------------------------


def test_fetch_from_loopback_with_the_setting_on(world, feed_server, allow_private):
    make_keywords(world.a)
    source = make_source(world.a, url=feed_server.url)
    counts = services.source_fetch(actor=SYSTEM, source=source)
    assert counts == {"fetched": 3, "new": 3, "matched": 1}
    hit = OpinionItem.objects.get(matched=True)
    assert hit.title == "市财政局公布2027年部门预算"
    assert "<p>" not in hit.summary and "三公经费" in hit.summary
    assert set(hit.matched_words) == {"财政", "预算"}
    assert hit.sentiment is not None and hit.sentiment_label
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_ok and "新增 3 条" in source.last_result


def test_fetch_refuses_loopback_without_the_setting(world, feed_server, settings):
    settings.OPINION_ALLOW_PRIVATE_HOSTS = False
    source = make_source(world.a, url=feed_server.url)
    with pytest.raises(FetchError, match="内网或本机"):
        services.source_fetch(actor=SYSTEM, source=source)
    assert feed_server.seen == []  # never connected
    source.refresh_from_db()
    assert not source.last_ok and "内网或本机" in source.last_result
    assert not OpinionItem.objects.exists()


def test_redirect_to_a_private_address_is_refused(world, feed_server, settings, monkeypatch):
    # The first hop is allowed (the check is switched on only for the redirect's target).
    settings.OPINION_ALLOW_PRIVATE_HOSTS = True
    feed_server.redirect_to = "http://10.0.0.1/feed.xml"
    source = make_source(world.a, url=f"http://127.0.0.1:{feed_server.port}/jump")
    from dangjian.opinion import fetch

    real = fetch.resolve

    def strict_for_ten(host, port):
        settings.OPINION_ALLOW_PRIVATE_HOSTS = host == "127.0.0.1"
        return real(host, port)

    monkeypatch.setattr(fetch, "resolve", strict_for_ten)
    with pytest.raises(FetchError, match=r"10\.0\.0\.1"):
        services.source_fetch(actor=SYSTEM, source=source)


@pytest.mark.parametrize(
    "ip", ["127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "::ffff:127.0.0.1"]
)
def test_private_addresses_are_not_allowed(ip):
    from dangjian.opinion.fetch import address_allowed

    assert not address_allowed(ip)


def test_public_address_is_allowed():
    from dangjian.opinion.fetch import address_allowed

    assert address_allowed("8.8.8.8")


def test_fetching_the_same_feed_again_adds_nothing_and_sends_a_conditional_request(
    world, feed_server, allow_private
):
    source = make_source(world.a, url=feed_server.url)
    services.source_fetch(actor=SYSTEM, source=source)
    source.refresh_from_db()
    again = services.source_fetch(actor=SYSTEM, source=source)
    assert again == {"fetched": 0, "new": 0, "matched": 0}
    assert feed_server.seen[-1].get("If-None-Match") == '"v1"'
    assert feed_server.seen[-1].get("If-Modified-Since") == feed_server.last_modified
    assert OpinionItem.objects.count() == 3


def test_a_changed_feed_adds_only_new_entries_deduplicated_by_url_and_content(
    world, feed_server, allow_private
):
    source = make_source(world.a, url=feed_server.url)
    services.source_fetch(actor=SYSTEM, source=source)
    source.refresh_from_db()
    feed_server.etag = '"v2"'
    # Same first item under another URL (content hash), a repeat of item 2's URL, one new.
    feed_server.body = feed_server.body.replace(b"/a/1<", b"/a/99<").replace(
        b"</channel>",
        b"<item><title>new</title><link>https://news.example.cn/a/2</link></item>"
        b"<item><title>\xe5\x85\xac\xe7\x9b\x8a\xe6\xb4\xbb\xe5\x8a\xa8</title>"
        b"<link>https://news.example.cn/a/4</link></item></channel>",
    )
    counts = services.source_fetch(actor=SYSTEM, source=source)
    assert counts["new"] == 1
    assert OpinionItem.objects.filter(url="https://news.example.cn/a/4").exists()
    assert not OpinionItem.objects.filter(url="https://news.example.cn/a/99").exists()


def test_a_feed_too_large_is_refused(world, feed_server, allow_private):
    allow_private.OPINION_FETCH_MAX_BYTES = 100
    source = make_source(world.a, url=feed_server.url)
    with pytest.raises(FetchError, match="过大"):
        services.source_fetch(actor=SYSTEM, source=source)


def test_not_a_feed_is_a_clear_message(world, feed_server, allow_private):
    feed_server.body = b"\x00\x01 not xml at all"
    source = make_source(world.a, url=feed_server.url)
    with pytest.raises(FetchError):
        services.source_fetch(actor=SYSTEM, source=source)


def test_the_task_fetches_every_active_source_and_survives_a_failing_one(
    world, feed_server, allow_private
):
    make_source(world.a, url=feed_server.url)
    broken = make_source(world.b, url=f"http://127.0.0.1:{feed_server.port}/missing.xml")
    total = fetch_sources()
    assert total["new"] == 3 and total["failed"] == 1
    broken.refresh_from_db()
    assert "404" in broken.last_result


# --- sources ---------------------------------------------------------------------------


def test_a_branch_secretary_may_not_add_a_source(world):
    with pytest.raises(Forbidden):
        services.source_create(
            actor=world.user("sec_a"), org=world.a, name="x", url="https://a.example.cn/rss"
        )


def test_committee_staff_add_a_source_for_a_branch_once(world):
    c1 = world.user("c1_admin")
    services.source_create(actor=c1, org=world.a, name="x", url="https://a.example.cn/rss")
    with pytest.raises(Conflict):
        services.source_create(actor=c1, org=world.a, name="y", url="https://a.example.cn/rss")
    assert OpinionSource.objects.count() == 1


@pytest.mark.parametrize("url", ["ftp://a.example.cn/x", "javascript:alert(1)", "http://u:p@a.cn/"])
def test_a_source_url_must_be_plain_http(world, url):
    with pytest.raises(DomainError):
        services.source_create(actor=SYSTEM, org=world.a, name="x", url=url)


# --- matching --------------------------------------------------------------------------


def test_matching_counts_synonyms_and_honours_exclusions(world):
    make_keywords(world.c1, words=["预算"], synonyms={"预算": ["预决算"]}, exclude=["招聘"])
    hit = make_item(world.a, title="区县预决算公开情况", summary="")
    excluded = make_item(world.a, title="预算处招聘公告", summary="")
    miss = make_item(world.a, title="今日天气", summary="")
    assert hit.matched and hit.matched_words == ["预决算"]
    assert not excluded.matched
    assert not miss.matched


def test_a_committee_keyword_set_applies_to_its_branches_not_to_others(world):
    make_keywords(world.c1, words=["收费"], exclude=[])
    assert make_item(world.a, title="窗口乱收费").matched
    assert not make_item(world.d, title="窗口乱收费").matched


def test_jieba_finds_a_word_inside_a_longer_one():
    rules = [text.KeywordRule.of(["财政"], {}, [])]
    assert text.match("市财政局发布公告", rules) == ["财政"]


def test_a_new_keyword_set_rematches_the_waiting_items(world):
    item = make_item(world.a, title="公园收费引发讨论")
    assert not item.matched
    make_keywords(world.a, words=["收费"], exclude=[])
    item.refresh_from_db()
    assert item.matched and item.matched_words == ["收费"]


@pytest.mark.parametrize(
    "words,exclude,synonyms",
    [
        ([], [], {}),
        (["x" * 21], [], {}),
        (["预算"], ["预算"], {}),
        (["预算"], [], {"财政": ["钱"]}),
    ],
)
def test_bad_keyword_sets_are_refused(world, words, exclude, synonyms):
    with pytest.raises(DomainError):
        services.keyword_set_create(
            actor=SYSTEM, org=world.a, words=words, exclude=exclude, synonyms=synonyms
        )


def test_sentiment_is_an_estimate_between_0_and_1():
    score, label = text.sentiment("办事窗口态度恶劣，群众排队三小时无人理睬")
    assert 0 <= score < 0.4 and label == "negative"
    assert text.sentiment("") == (None, "")


# --- manual items -----------------------------------------------------------------------


def test_a_manual_item_entered_twice_is_a_conflict(world):
    make_item(world.a)
    with pytest.raises(Conflict):
        make_item(world.a)


# --- cases -----------------------------------------------------------------------------


def _params():
    return Rule.objects.filter(code="OPN-1").order_by("-version").first().params


@pytest.mark.parametrize("level", ["general", "major", "critical"])
def test_case_deadline_follows_the_level(world, level):
    before = timezone.now()
    case = make_case(make_item(world.a), level=level)
    hours = _params()[f"{level}_hours"]
    assert before + dt.timedelta(hours=hours) <= case.due_at
    assert case.due_at <= timezone.now() + dt.timedelta(hours=hours)
    assert case.item.status == OpinionItem.Status.CASE


def test_deadline_hours_are_rule_parameters(world):
    rule = Rule.objects.filter(code="OPN-1").order_by("-version").first()
    rule.params = {**rule.params, "general_hours": 10}
    rule.save()
    case = make_case(make_item(world.a), level="general")
    assert abs((case.due_at - case.created_at) - dt.timedelta(hours=10)) < dt.timedelta(seconds=5)


def test_a_major_case_is_reported_to_the_committee_above(world):
    case = make_case(make_item(world.a), level="major")
    to = set(Notification.objects.values_list("user__username", flat=True))
    assert to == {"c1_admin", "wc_admin"}
    assert case.escalated_at is not None


def test_a_general_case_is_not_escalated_until_raised(world):
    case = make_case(make_item(world.a), level="general")
    assert not Notification.objects.exists()
    services.case_update(actor=SYSTEM, case=case, level="critical", analysis="升级")
    case.refresh_from_db()
    assert case.due_at < case.created_at + dt.timedelta(hours=_params()["general_hours"])
    assert Notification.objects.filter(user=world.user("c1_admin")).count() == 1


def test_an_item_is_taken_up_once(world):
    item = make_item(world.a)
    make_case(item)
    with pytest.raises(Conflict):
        make_case(item)
    assert OpinionCase.objects.count() == 1


def test_a_bad_level_is_a_clear_message(world):
    with pytest.raises(DomainError, match="一般"):
        make_case(make_item(world.a), level="huge")


def test_a_case_closes_after_its_answer(world):
    case = make_case(make_item(world.a))
    with pytest.raises(Conflict, match="先登记回应"):
        services.case_close(actor=SYSTEM, case=case, closure="结束")
    services.case_answer(actor=SYSTEM, case=case, answer="已在门户网站发布说明")
    services.case_close(actor=SYSTEM, case=case, closure="舆情平息")
    case.refresh_from_db()
    assert case.status == OpinionCase.Status.CLOSED and case.closed_at


def test_late_cases_are_found_by_the_checker_and_reminded_once(world):
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    case = make_case(make_item(world.a))
    OpinionCase.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    findings = [
        f
        for f in evaluate(world.w, P.containing("year", timezone.localdate()), codes=["OPN-1"])
        if f.status == "overdue"
    ]
    assert [f.org_id for f in findings] == [world.a.pk]
    assert "1 件" in findings[0].actual
    assert remind_late_cases() == 1
    assert remind_late_cases() == 0


def test_the_command_fetches_and_reports(world, feed_server, allow_private):
    from io import StringIO

    from django.core.management import call_command

    make_source(world.a, url=feed_server.url)
    out = StringIO()
    call_command("opinion_fetch", stdout=out)
    assert "新增 3 条" in out.getvalue() and "失败来源 0 个" in out.getvalue()
