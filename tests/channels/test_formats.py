"""Each provider's message shape and signature, checked against the providers' documented
algorithms written out here independently (DingTalk's and Feishu's sample code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse

from dangjian.core.channels import formats

MSG = formats.Message(
    title="关于开展主题党日活动的通知",
    text="请各支部于本月底前完成。",
    url="https://dj.example.gov.cn/publicity/notices/3/",
    org="预算处党支部",
    source="通知公告",
)
NOW = 1764547200.123  # 2025-12-01 00:00:00.123 UTC


def test_wecom_robot_sends_markdown_with_title_text_and_link():
    req = formats.wecom_robot(MSG, url="https://qyapi.weixin.qq.com/x?key=K", secret="", now=NOW)
    body = json.loads(req.body)
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**关于开展主题党日活动的通知**")
    assert "请各支部于本月底前完成。" in content
    assert "[查看详情](https://dj.example.gov.cn/publicity/notices/3/)" in content
    assert req.url == "https://qyapi.weixin.qq.com/x?key=K"


def test_wecom_robot_content_stays_within_4096_bytes():
    long = formats.Message(title="长", text="字" * 5000)
    req = formats.wecom_robot(long, url="http://h/x", secret="", now=NOW)
    assert len(json.loads(req.body)["markdown"]["content"].encode()) <= 4096


def test_dingtalk_sign_matches_the_documented_recipe():
    secret, timestamp = "SEC1234567890abcdef", 1764547200123
    # DingTalk's sample: hmac_code = hmac.new(secret_enc, string_to_sign_enc, sha256).digest()
    # sign = urllib.parse.quote_plus(base64.b64encode(hmac_code))
    string_to_sign = f"{timestamp}\n{secret}"
    code = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256)
    expected = urllib.parse.quote_plus(base64.b64encode(code.digest()))
    assert formats.dingtalk_sign(secret, timestamp) == expected


def test_dingtalk_robot_appends_timestamp_and_sign_to_the_url():
    url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN"
    req = formats.dingtalk_robot(MSG, url=url, secret="SECabc", now=NOW)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(req.url).query)
    assert query["access_token"] == ["TOKEN"]
    assert query["timestamp"] == ["1764547200123"]
    string_to_sign = b"1764547200123\nSECabc"
    digest = hmac.new(b"SECabc", string_to_sign, hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    body = json.loads(req.body)
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == MSG.title
    assert "[查看详情](" in body["markdown"]["text"]
    assert "<font" not in body["markdown"]["text"]


def test_dingtalk_robot_without_secret_sends_no_signature():
    req = formats.dingtalk_robot(MSG, url="https://h/robot/send?access_token=T", secret="", now=NOW)
    assert "sign=" not in req.url


def test_feishu_sign_matches_the_documented_recipe():
    secret, timestamp = "demo-secret", 1764547200
    # Feishu's sample: hmac.new(string_to_sign.encode("utf-8"), digestmod=sha256).digest()
    string_to_sign = f"{timestamp}\n{secret}"
    hmac_code = hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    assert formats.feishu_sign(secret, timestamp) == base64.b64encode(hmac_code).decode("utf-8")


def test_feishu_bot_sends_a_signed_post_message():
    req = formats.feishu_bot(
        MSG, url="https://open.feishu.cn/open-apis/bot/v2/hook/x", secret="s", now=NOW
    )
    body = json.loads(req.body)
    assert body["timestamp"] == "1764547200"
    assert body["sign"] == formats.feishu_sign("s", 1764547200)
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == MSG.title
    tags = [item for paragraph in post["content"] for item in paragraph]
    assert {"tag": "a", "text": "查看详情", "href": MSG.url} in tags


def test_webhook_signs_timestamp_and_body_with_hmac_sha256():
    req = formats.webhook(MSG, url="http://10.1.2.3/in", secret="k", now=NOW)
    body = json.loads(req.body)
    assert body == {
        "title": MSG.title,
        "text": MSG.text,
        "url": MSG.url,
        "org": "预算处党支部",
        "source": "通知公告",
        "sent_at": 1764547200,
    }
    assert req.headers["X-Dangjian-Timestamp"] == "1764547200"
    mac = hmac.new(b"k", b"1764547200." + req.body, hashlib.sha256).hexdigest()
    assert req.headers["X-Dangjian-Signature"] == f"sha256={mac}"


def test_robot_answers_with_an_error_code_count_as_failures():
    assert formats.answer_error("wecom_robot", 200, b'{"errcode":0,"errmsg":"ok"}') == ""
    assert formats.answer_error("feishu_bot", 200, b'{"code":0,"msg":"success"}') == ""
    assert formats.answer_error("feishu_bot", 200, b'{"StatusCode":0}') == ""
    error = formats.answer_error(
        "dingtalk_robot", 200, b'{"errcode":310000,"errmsg":"sign not match"}'
    )
    assert error == "错误码 310000：sign not match"
    assert formats.answer_error("webhook", 500, b"") == "HTTP 500"
    assert formats.answer_error("webhook", 204, b"") == ""
    assert formats.answer_error("wecom_robot", 200, b"<html>") == "应答不是 JSON"


def test_addresses_and_secrets_are_masked_for_display():
    shown = formats.mask_url(
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    )
    assert shown == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa"
    feishu = formats.mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/2b5c1a7e9f3d4e6a8b0c")
    assert feishu.endswith("/hook/2b5c…8b0c")
    assert formats.mask_secret("SEC0123456789") == "SEC…（共 13 位）"
