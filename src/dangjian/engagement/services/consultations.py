"""Consultations, suggestions and complaints: asked by a member or the public, routed to an
org, answered by its deadline (ENG-1), rated, and published as FAQ with the asker's consent."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.actors import actor_user
from dangjian.core.audit import audit
from dangjian.core.checks import checked_text
from dangjian.core.errors import Conflict, DomainError
from dangjian.core.models import AuditEntry
from dangjian.core.services import notify
from dangjian.engagement.models import RATING_MAX, Consultation, Topic
from dangjian.orgs.models import Org

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on phones
CODE_LENGTH = 12  # 60 bits: not guessable within any rate limit
REPLY_RULE = "ENG-1"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """What a person typed (lower case, dashes, spaces) as the stored code."""
    text = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    return text[:CODE_LENGTH]


def reply_days(on: dt.date) -> int:
    from dangjian.standards.selectors import rule_in_force

    return int(rule_in_force(REPLY_RULE, on).params["reply_days"])


@transaction.atomic
def topic_create(*, actor, org: Org, name: str) -> Topic:
    name = checked_text(name, field="name", label="咨询事项", limit=60)
    if Topic.objects.filter(name=name).exists():
        raise DomainError("该咨询事项已存在", field="name")
    topic = Topic.objects.create(org=org, name=name)
    audit(actor=actor, action=AuditEntry.Action.CREATE, obj=topic, verb="新增咨询事项")
    return topic


@transaction.atomic
def consultation_ask(
    *,
    actor,
    question: str,
    org: Org | None = None,
    topic: Topic | None = None,
    kind: str = Consultation.Kind.QUESTION,
    contact: str = "",
    faq_consent: bool = False,
    client_key: str = "",
    today: dt.date | None = None,
) -> Consultation:
    """Record a question (suggestion, complaint) for ``org``, or for the org that answers
    ``topic``. A public asker (no account) must leave a contact or keep the code. A retried
    request with the same ``client_key`` returns the first record, never a second one."""
    if client_key:
        first = Consultation.objects.filter(client_key=client_key[:64]).first()
        if first is not None:
            return first
    if kind not in Consultation.Kind.values:
        raise DomainError("类别只能是咨询、意见建议或投诉反馈", field="kind")
    question = checked_text(question, field="question", label="咨询内容", limit=2000)
    if len(question) < 5:
        raise DomainError("请把问题写清楚（至少5个字）", field="question")
    contact = checked_text(contact, field="contact", label="联系方式", limit=100, required=False)
    if topic is not None and not topic.active:
        raise DomainError("该咨询事项已停止受理", field="topic")
    if org is None and topic is not None:
        org = topic.org
    if org is None:
        raise DomainError("请选择受理的党组织或咨询事项", field="org")
    if getattr(org, "dissolved_on", None):
        raise DomainError("该党组织已撤销，请选择其他党组织", field="org")
    user = actor_user(actor)
    today = today or timezone.localdate()
    for _ in range(5):
        try:
            with transaction.atomic():
                item = Consultation.objects.create(
                    code=new_code(),
                    kind=kind,
                    channel=Consultation.Channel.MEMBER if user else Consultation.Channel.PUBLIC,
                    org=org,
                    topic=topic,
                    question=question,
                    contact=contact,
                    asker=user,
                    faq_consent=bool(faq_consent),
                    due_on=today + dt.timedelta(days=reply_days(today)),
                    client_key=client_key[:64] or None,
                )
            break
        except IntegrityError:
            if client_key:
                first = Consultation.objects.filter(client_key=client_key[:64]).first()
                if first is not None:
                    return first
    else:  # pragma: no cover - five colliding random codes
        raise Conflict("系统繁忙，请稍后再试")
    audit(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        verb=f"提交{item.get_kind_display()}（{item.get_channel_display()}）",
    )
    return item


@transaction.atomic
def consultation_reply(*, actor, consultation: Consultation, text: str) -> Consultation:
    """The handling org's answer; an answered item is not answered twice (409)."""
    text = checked_text(text, field="text", label="答复内容", limit=4000)
    item = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("org", "asker")
        .get(pk=consultation.pk)
    )
    if item.status == Consultation.Status.ANSWERED:
        raise Conflict("该事项已答复")
    item.reply = text
    item.status = Consultation.Status.ANSWERED
    item.replied_by = actor_user(actor)
    item.replied_at = timezone.now()
    item.save()
    late = timezone.localdate() > item.due_on
    if item.asker_id:
        notify(
            users=[item.asker],
            title=f"您的{item.get_kind_display()}已答复",
            body=f"{item.org.name}：{text[:100]}",
            link=reverse("engagement:consultation", args=[item.pk]),
            dedupe_key=f"engagement-replied-{item.pk}",
        )
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=item,
        verb="答复" + ("（超过答复时限）" if late else ""),
        changes={"status": [Consultation.Status.OPEN, item.status]},
    )
    return item


@transaction.atomic
def consultation_rate(*, actor, consultation: Consultation, rating, note: str = "") -> Consultation:
    """The asker's satisfaction with the answer (1–5), once. The caller has proved it is the
    asker: the signed-in asker, or whoever holds the tracking code."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= RATING_MAX:
        raise DomainError(f"满意度应为1至{RATING_MAX}星", field="rating")
    note = checked_text(note, field="note", label="评价意见", limit=300, required=False)
    item = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if item.status != Consultation.Status.ANSWERED:
        raise Conflict("答复后才能评价")
    if item.rating is not None:
        raise Conflict("您已评价过该事项")
    item.rating = rating
    item.rating_note = note
    item.save(update_fields=["rating", "rating_note", "updated_at"])
    audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=item, verb=f"满意度评价 {rating} 星")
    return item


@transaction.atomic
def consultation_faq(*, actor, consultation: Consultation, publish: bool = True) -> Consultation:
    """Publish an answered question as FAQ (常见问题) — only with the asker's consent — or
    withdraw it."""
    item = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if publish:
        if not item.faq_consent:
            raise DomainError("提问人未同意公开，不能公开为常见问题", field="faq")
        if item.status != Consultation.Status.ANSWERED:
            raise Conflict("答复后才能公开为常见问题")
    if item.faq_published == bool(publish):
        return item
    item.faq_published = bool(publish)
    item.save(update_fields=["faq_published", "updated_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=item,
        verb="公开为常见问题" if publish else "撤回常见问题",
    )
    return item
