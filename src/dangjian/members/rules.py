"""Checks of member management for the compliance engine (RULES.md section E)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from dangjian.core.calendar import add_months, months_between
from dangjian.members.models import Member
from dangjian.standards.params import register_params
from dangjian.standards.registry import CheckContext, Finding, Param, fact, register, watch

# A member joining, moving or leaving changes the member's findings and the member counts
# of its org and of every org above it: the org's subtree (the one it left too) and the
# own findings of the orgs above are re-evaluated.
watch("members.Member", orgs=lambda m: [m.org_id], above=True)


@fact("member_counts")
def member_counts(facts) -> dict[int, dict[str, int]]:
    """Full and probationary members on the rolls per org of the evaluated subtree: one
    grouped query, shared by every rule that counts members or sizes its targets."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"full": 0, "probationary": 0})
    rows = (
        facts.in_subtree(Member.objects.on_rolls().party_members(), "org__path")
        .values_list("org_id", "status")
        .annotate(n=Count("*"))  # not the id: answered from the rolls index alone
        .order_by()
    )
    for org_id, status, n in rows:
        out[org_id][status] += n
    return out


S = Finding.Status


@register(
    "lost_contact",
    title="失联党员：满期停止党籍，停止党籍期满除名",
    params={
        "suspend_after_months": Param(
            "int",
            min=1,
            max=60,
            help="失联满此月数停止党籍",
            label="失联满此期限停止党籍",
            unit="个月",
        ),
        "remove_after_months": Param(
            "int",
            min=1,
            max=120,
            help="停止党籍后满此月数除名",
            label="停止党籍后满此期限除名",
            unit="个月",
        ),
    },
    period="none",
    batch=True,
    link=("members:list",),
)
def lost_contact(ctx: CheckContext) -> Iterable[Finding]:
    """Each lost-contact member of the subtree: due as the suspension date nears (within the
    "due soon" window), violation once it has passed (suspend) and again once removal is
    due; one ``ok`` finding per branch without such members."""
    suspend = int(ctx.params["suspend_after_months"])
    remove = int(ctx.params["remove_after_months"])
    as_of = ctx.as_of
    rows = (
        Member.objects.on_rolls()
        .party_members()
        .in_subtree(ctx.root)
        .filter(is_lost_contact=True)
        .values_list("id", "name", "org_id", "lost_contact_since")
        .order_by()
    )
    targets = {o.id for o in ctx.targets()}
    flagged: set[int] = set()
    cite = ctx.cite()
    out = []
    for member_id, name, org_id, since in rows:
        if org_id not in targets:
            continue
        if since is None:
            status, text, expected, actual = (
                S.DUE,
                f"{name}已标记失联，但未登记失联日期，请补登以便计算停止党籍期限",
                "登记失联日期",
                "未登记",
            )
        else:
            suspend_on = add_months(since, suspend)
            remove_on = add_months(suspend_on, remove)
            months = months_between(since, as_of)
            actual = f"失联{months}个月"
            if as_of >= remove_on:
                status, expected = S.VIOLATION, f"{remove_on}起按自行脱党除名"
                text = f"{name}自{since}失联，停止党籍已满{remove}个月，应按自行脱党予以除名"
            elif as_of >= suspend_on:
                status, expected = S.VIOLATION, f"{suspend_on}起停止党籍"
                text = f"{name}自{since}失联已满{suspend}个月，应予停止党籍"
            elif (suspend_on - as_of).days <= ctx.due_soon_days:
                status, expected = S.DUE, f"{suspend_on}前恢复联系"
                text = f"{name}自{since}失联，{suspend_on}满{suspend}个月"
            else:
                continue
        flagged.add(org_id)
        out.append(
            ctx.finding(
                org_id=org_id,
                period=ctx.period,
                met=False,
                status=status,
                expected=expected,
                actual=actual,
                message=f"{cite}：失联满{suspend}个月停止党籍。{text}。",
                member_id=member_id,
                member_name=name,
            )
        )
    for org_id in targets - flagged:
        out.append(
            ctx.finding(
                org_id=org_id,
                period=ctx.period,
                met=True,
                status=S.OK,
                expected="无逾期失联党员",
                actual="无",
                message=f"{cite}：无需停止党籍或除名的失联党员。",
            )
        )
    return out


# Parameters of the education rules without a checker here (standards/data/education.toml):
# EDU-1/2 until the learning module's checker declares its own, EDU-4, EDU-5.
register_params(
    period=Param(
        "choice",
        label="检查周期",
        choices=(("month", "每月"), ("quarter", "每季度"), ("year", "每年")),
    ),
    min_hours=Param("int", min=0, label="每个周期集中学习培训不少于", unit="学时"),
    roles=Param(
        "list",
        label="适用的委员职务",
        choices=(
            ("secretary", "书记"),
            ("deputy_secretary", "副书记"),
            ("organizer", "组织委员"),
            ("publicity", "宣传委员"),
            ("discipline", "纪检委员"),
        ),
    ),
    months=Param("int", min=1, label="期限", unit="个月"),
    max_months=Param("int", min=1, label="限期改正一般不超过", unit="个月"),
)
