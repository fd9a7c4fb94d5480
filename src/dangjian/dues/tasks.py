"""Background work of the dues app: reminders to members in arrears (DUE-10)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task


@task()
def dues_remind_arrears(*, org_id: int, as_of: str) -> int:
    """Remind members with unpaid months at or above DUE-10's warning level, and their
    branch secretaries and organizers; once per member and month (deduplicated)."""
    from dangjian.accounts.models import User
    from dangjian.core.services import notify
    from dangjian.dues.rates import RateBook, parse_month
    from dangjian.dues.selectors import arrears
    from dangjian.orgs.models import Org, Position
    from dangjian.orgs.selectors import handlers_of

    org = Org.objects.filter(pk=org_id).first()
    if org is None:
        return 0
    month = parse_month(as_of)
    book = RateBook()
    params = book.rule("DUE-10", month).params
    warn, violation = int(params["warn_months"]), int(params["violation_months"])
    rows = arrears(org=org, as_of=month, min_months=warn, book=book)
    if not rows:
        return 0
    users = {u.member_id: u for u in User.objects.filter(member_id__in=[a.member_id for a in rows])}
    leaders = handlers_of(
        {a.org_id for a in rows}, [Position.Role.SECRETARY, Position.Role.ORGANIZER]
    )
    sent = 0
    for a in rows:
        level = "已满" if a.months >= violation else "已达"
        body = (
            f"自 {a.since:%Y年%-m月} 起连续 {a.months} 个月未交纳党费（{level} {warn} 个月提醒线，"
            f"满 {violation} 个月按规定视为自行脱党）。请尽快交纳。"
        )
        key = f"dues-arrears-{a.member_id}-{as_of}"
        if a.member_id in users:
            sent += len(
                notify(
                    users=[users[a.member_id]],
                    title="党费交纳提醒",
                    body=body,
                    link=reverse("dues:mine"),
                    dedupe_key=key,
                )
            )
        sent += len(
            notify(
                users=leaders.get(a.org_id, []),
                title=f"{a.name} 连续 {a.months} 个月未交党费",
                body=body,
                link=reverse("dues:member", kwargs={"member_id": a.member_id}),
                dedupe_key=key,
            )
        )
    return sent
