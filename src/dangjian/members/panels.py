"""The members panel of the 驾驶舱 (``core.panels``): the structure of the membership —
category, gender, ethnicity, age bands and education (the groupings of the 党内统计 tables,
``statistics/tables.toml``) and party age — as of the panel's date, from one read of the
rolls. Each figure opens the 党内统计 list behind the same cell."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from dangjian.core.panels import Chart, Figure, PanelContext, panel
from dangjian.members.models import Member, years_between
from dangjian.statistics.categories import UNKNOWN, education_labels, groupings

PARTY = (Member.Status.FULL, Member.Status.PROBATIONARY)
# Party age (党龄, whole years since becoming a full member): display bands of the panel,
# lower bounds in years; not a regulation number.
PARTY_AGE_BANDS = (
    (0, "lt10", "10年以下"),
    (10, "10-19", "10至19年"),
    (20, "20-29", "20至29年"),
    (30, "30-39", "30至39年"),
    (40, "40-49", "40至49年"),
    (50, "50+", "50年及以上"),
)


def _cell(cell: str):
    def url(org, year: int) -> str:
        return f"{reverse('statistics:cell')}?org={org.pk}&year={year}&cell=members.{cell}"

    return url


def _list(status: str = "", order: str = ""):
    def url(org, year: int) -> str:
        query = f"org={org.pk}" + (f"&status={status}" if status else "")
        return f"{reverse('members:list')}?{query}" + (f"&order={order}" if order else "")

    return url


AGE = [(f"age_bands.{b.key}", b.label) for b in groupings().age_bands]
EDUCATION = [(f"education.{k}", label) for k, label in education_labels().items()]
PARTY_AGE = [(f"party_age.{key}", label) for _, key, label in PARTY_AGE_BANDS]

FIGURES = [
    Figure("total", "党员总数", link=_cell("total")),
    Figure("full", "正式党员", link=_cell("full")),
    Figure("probationary", "预备党员", link=_cell("probationary")),
    Figure("male", "男党员", link=_cell("male")),
    Figure("female", "女党员", link=_cell("female")),
    Figure("han", "汉族党员", link=_cell("han")),
    Figure("minority", "少数民族党员", link=_cell("minority")),
    Figure("female_rate", "女党员占比", unit="rate", rate=("female", "total")),
    Figure("minority_rate", "少数民族党员占比", unit="rate", rate=("minority", "total")),
    *[Figure(k, label, link=_cell(k)) for k, label in AGE],
    *[Figure(k, label, link=_cell(k)) for k, label in EDUCATION],
    *[Figure(k, label, link=_list("full", "full_at")) for k, label in PARTY_AGE],
]


@panel(
    "members",
    title="党员队伍结构",
    order=10,
    figures=FIGURES,
    charts=[
        Chart("pie", "人员类别", ("full", "probationary")),
        Chart("pie", "性别", ("male", "female")),
        Chart("pie", "民族", ("han", "minority")),
        Chart("bar", "年龄", tuple(k for k, _ in AGE)),
        Chart("bar", "学历", tuple(k for k, _ in EDUCATION)),
        Chart("bar", "党龄（正式党员）", tuple(k for k, _ in PARTY_AGE)),
    ],
    watch=("members.Member",),
    headline="total",
    description="统计日在册的正式党员和预备党员（本年为今天，往年为12月31日）；分组同党内统计年报。",
)
def members(ctx: PanelContext) -> dict[int, dict[str, int]]:
    """One query: the party members on the rolls at ``ctx.as_of``, the columns counted."""
    as_of = ctx.as_of
    g = groupings()
    rows = (
        Member.objects.filter(status__in=PARTY)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=as_of))
        .filter(Q(joined_at__isnull=True) | Q(joined_at__lte=as_of))
        .values_list(
            "org_id", "status", "gender", "ethnicity", "birth_date", "education", "full_at"
        )
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for org_id, status, gender, ethnicity, birth, education, full_at in rows:
        acc = out.setdefault(org_id, {})
        full = full_at <= as_of if full_at else status == Member.Status.FULL
        keys = [
            "total",
            "full" if full else "probationary",
            "female" if gender == Member.Gender.FEMALE else "male",
            "han" if ethnicity in ("汉族", "") else "minority",
            f"age_bands.{g.age_band(years_between(birth, as_of))}",
            f"education.{education or UNKNOWN}",
        ]
        if full and full_at:
            years = years_between(full_at, as_of)
            band = next(k for low, k, _ in reversed(PARTY_AGE_BANDS) if years >= low)
            keys.append(f"party_age.{band}")
        for key in keys:
            acc[key] = acc.get(key, 0) + 1
    return out
