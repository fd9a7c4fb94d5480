"""Reads of dues data: monthly sheets, a member's months, arrears, yearly summaries.

Every function works on a whole set of members at once (a branch or a subtree of 50,000):
members, profiles, paid months and rules are each loaded with one query, then combined in
Python. Callers pass an org that they obtained through the gate.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from dangjian.core.calendar import add_months, month_count, month_range, month_start
from dangjian.core.errors import DomainError
from dangjian.dues.models import Category, DuesDisclosure, DuesPaidMonth, DuesPayment, DuesProfile
from dangjian.dues.rates import BRACKET_RULE, Quote, RateBook, month_label
from dangjian.members.models import Member
from dangjian.orgs.models import Org

BASE_MODES = ("agency", "follow_pay")
PRICE_RULES = ("DUE-2", "DUE-3", "DUE-4", "DUE-5")
PARTY = (Member.Status.FULL, Member.Status.PROBATIONARY)
PROFILE_FIELDS = (
    "pk",
    "member_id",
    "category",
    "effective_month",
    "base",
    "farmer_amount",
    "adjustment",
    "adjusted_amount",
    "approval_ref",
)
MEMBER_FIELDS = ("id", "name", "name_pinyin", "org_id", "status", "joined_at", "full_at", "left_on")


def base_mode() -> str:
    """DUE-7: ``agency`` (base fixed at the start of the year) or ``follow_pay``."""
    mode = getattr(settings, "DUES_BASE_MODE", "agency")
    if mode not in BASE_MODES:
        raise DomainError(f"设置 DUES_BASE_MODE 应为 agency 或 follow_pay，当前为“{mode}”")
    return mode


def current_month(today: dt.date | None = None) -> dt.date:
    return month_start(today or timezone.localdate())


def closed_month(period_month: dt.date, today: dt.date) -> dt.date:
    """The last month whose dues are due as of ``today``: the month judged if it is over,
    else the month before it (the current month is still being collected)."""
    current = month_start(today)
    return period_month if period_month < current else add_months(current, -1, first=True)


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    name_pinyin: str
    org_id: int
    status: str
    joined_at: dt.date | None
    full_at: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """The fields of a ``DuesProfile`` that pricing needs (read in bulk, no model objects)."""

    pk: int
    member_id: int
    category: str
    effective_month: dt.date
    base: Decimal | None
    farmer_amount: Decimal | None
    adjustment: str
    adjusted_amount: Decimal | None
    approval_ref: str


@dataclass
class Line:
    """One member's dues for one month."""

    member_id: int
    name: str
    org_id: int
    month: dt.date
    state: str  # paid | unpaid | not_owed | no_profile | waived | error
    category: str = ""
    base: Decimal | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None
    rule_code: str = ""
    rule_version: int = 0
    explanation: str = ""
    paid_amount: Decimal | None = None
    paid_on: dt.date | None = None
    method: str = ""
    payment_id: int | None = None

    STATE_LABELS = {
        "paid": "已交",
        "unpaid": "未交",
        "not_owed": "无需交纳",
        "no_profile": "未建党费档案",
        "waived": "免交",
        "error": "无法计算",
    }

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS[self.state]

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}%" if self.rate is not None else ""

    @property
    def method_label(self) -> str:
        return DuesPayment.Method(self.method).label if self.method else ""

    @property
    def owed(self) -> bool:
        return self.state in ("paid", "unpaid")


def _rows(members: QuerySet[Member]) -> list[MemberRow]:
    return [MemberRow(*values) for values in members.values_list(*MEMBER_FIELDS)]


def owed_from(member, params: dict, first_profile: dt.date | None) -> dt.date | None:
    """DUE-6, the one reading: the first month ``member`` owes dues. From the month of
    ``params["owe_from"]`` (default the day of acceptance as a probationary member, else
    the day of becoming full), or the month after when ``include_first_month`` is false;
    never before the member's first dues profile (``first_profile``, when there is one:
    the platform holds dues only from the month the branch entered them). None when the
    member has no such day."""
    day = getattr(member, params.get("owe_from", "joined_at"), None) or member.full_at
    if day is None:
        return None
    start = month_start(day)
    if not params.get("include_first_month", True):
        start = add_months(start, 1, first=True)
    return max(start, first_profile) if first_profile is not None else start


class Ledger:
    """Dues of a set of members over a range of months, from four queries."""

    def __init__(
        self,
        members: QuerySet[Member],
        first: dt.date,
        last: dt.date,
        *,
        book: RateBook | None = None,
        with_paid: bool = True,
    ) -> None:
        self.first, self.last = first, last
        self.members = _rows(members.order_by("org__path", "name_pinyin", "id"))
        ids = members.values("pk")
        self.book = book or RateBook()
        self.mode = base_mode()
        self._month_rules: dict[dt.date, tuple] = {}
        self._quotes: dict[tuple, Quote] = {}
        self.profiles: dict[int, list[ProfileRow]] = defaultdict(list)
        for values in (
            DuesProfile.objects.filter(member__in=ids, effective_month__lte=last)
            .order_by("member_id", "effective_month", "id")
            .values_list(*PROFILE_FIELDS)
        ):
            self.profiles[values[1]].append(ProfileRow(*values))
        self._months = {p: [x.effective_month for x in rows] for p, rows in self.profiles.items()}
        self.paid: dict[tuple[int, dt.date], tuple] = {}
        if not with_paid:
            return
        self.paid = {
            (row[0], row[1]): row[2:]
            for row in DuesPaidMonth.objects.valid()
            .filter(member__in=ids, month__gte=first, month__lte=last)
            .values_list(
                "member_id", "month", "amount", "payment__paid_on", "payment__method", "payment_id"
            )
        }

    def owe_start(self, member: MemberRow, month: dt.date) -> dt.date | None:
        """DUE-6: from the month of acceptance as a probationary member; and only months the
        platform holds a dues profile for (the branch enters it when it starts using it)."""
        profiles = self._months.get(member.id)
        first = profiles[0] if profiles else None
        return owed_from(member, self.book.rule("DUE-6", month).params, first)

    def profile_at(self, member_id: int, month: dt.date) -> tuple[ProfileRow, ProfileRow] | None:
        """The profile in force in ``month`` and the one whose base applies (DUE-7)."""
        months = self._months.get(member_id)
        if not months:
            return None
        i = bisect.bisect_right(months, month) - 1
        if i < 0:
            return None
        rows = self.profiles[member_id]
        profile = rows[i]
        if self.mode == "follow_pay":
            return profile, profile
        fix_month = self.book.rule("DUE-7", month).params.get("agency_fix_month", 1)
        year_start = dt.date(month.year, fix_month, 1)
        if year_start > month:
            year_start = dt.date(month.year - 1, fix_month, 1)
        j = bisect.bisect_right(months, year_start) - 1
        if j < 0:  # joined during the year: the first base entered that year
            j = bisect.bisect_left(months, year_start)
        return profile, rows[j]

    def _due(self, profile: ProfileRow, base_profile: ProfileRow, month: dt.date) -> Quote:
        """The quote, computed once per profile pair and set of rule versions in force."""
        rules = self._month_rules.get(month)
        if rules is None:
            rules = self._month_rules[month] = tuple(
                self.book.rule(code, month).pk if code in self.book.codes(month) else None
                for code in PRICE_RULES
            )
        key = (profile.pk, base_profile.pk, rules)
        quote = self._quotes.get(key)
        if quote is None:
            quote = self._quotes[key] = self.book.due(
                profile=profile, base_profile=base_profile, month=month
            )
        return quote

    def line(self, member: MemberRow, month: dt.date) -> Line:
        line = Line(member.id, member.name, member.org_id, month, "not_owed")
        paid = self.paid.get((member.id, month))
        if paid:
            line.paid_amount, line.paid_on, line.method, line.payment_id = paid
        start = self.owe_start(member, month)
        left = member.left_on and month_start(member.left_on) < month
        if member.status not in PARTY or start is None or month < start or left:
            if paid:
                line.state = "paid"
            return line
        found = self.profile_at(member.id, month)
        if found is None:
            line.state = "paid" if paid else "no_profile"
            return line
        try:
            quote = self._due(found[0], found[1], month)
        except DomainError as exc:
            line.state, line.explanation = "error", exc.message
            return line
        line.category, line.rate, line.amount = quote.category, quote.rate, quote.amount
        line.base = quote.base if quote.category in BRACKET_RULE else None
        line.rule_code, line.rule_version = quote.rule_code, quote.rule_version
        line.explanation = quote.explanation
        if paid:
            line.state = "paid"
        elif quote.amount == 0:
            line.state = "waived"
        else:
            line.state = "unpaid"
        return line

    def due_total(self, member: MemberRow, months: list[dt.date]) -> tuple[Decimal, bool]:
        """The dues of ``months`` (ascending) and whether any month is owed, without
        building lines (for yearly figures over many members)."""
        total, owes = Decimal("0.00"), False
        if member.status not in PARTY or not months:
            return total, owes
        start = self.owe_start(member, months[-1])
        if start is None:
            return total, owes
        end = month_start(member.left_on) if member.left_on else None
        for month in months:
            if month < start or (end is not None and month > end):
                continue
            found = self.profile_at(member.id, month)
            if found is None:
                continue
            try:
                amount = self._due(found[0], found[1], month).amount
            except DomainError:
                continue
            if amount:
                total += amount
                owes = True
        return total, owes

    def lines(self, month: dt.date) -> list[Line]:
        return [self.line(m, month) for m in self.members]


def members_of(org: Org, month: dt.date | None = None) -> QuerySet[Member]:
    """Party members on the rolls of ``org``'s subtree (still on them in ``month``)."""
    # The subtree's org ids first (a small table), so the member index on org is used.
    orgs = Org.objects.in_subtree(org).values("pk")
    qs = Member.objects.filter(org__in=orgs, status__in=PARTY)
    if month is None:
        return qs.filter(left_on__isnull=True)
    return qs.exclude(left_on__lt=month)


@dataclass
class Totals:
    members: int = 0  # members who owe dues this month (人数)
    paid_members: int = 0
    due: Decimal = Decimal("0.00")  # 应交
    paid: Decimal = Decimal("0.00")  # 实交
    unpaid_members: int = 0

    def add(self, line: Line) -> None:
        if line.owed:
            self.members += 1
            self.due += line.amount or Decimal("0")
            if line.state == "paid":
                self.paid_members += 1
                self.paid += line.paid_amount or Decimal("0")
            else:
                self.unpaid_members += 1

    @property
    def rate(self) -> Decimal | None:
        """Collection rate by members: those who paid / those who owe."""
        if not self.members:
            return None
        return (Decimal(self.paid_members) * 100 / self.members).quantize(Decimal("0.1"))

    @property
    def amount_rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (self.paid * 100 / self.due).quantize(Decimal("0.1"))


@dataclass
class Sheet:
    org: Org
    month: dt.date
    lines: list[Line]
    totals: Totals
    orgs: dict[int, str] = field(default_factory=dict)

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def named_lines(self) -> list[tuple[Line, str]]:
        return [(x, self.orgs.get(x.org_id, "")) for x in self.lines]


def monthly_sheet(*, org: Org, month: dt.date, book: RateBook | None = None) -> Sheet:
    """The sheet of ``org``'s subtree for ``month``: each member, base, rate, amount due,
    paid or not. Members with nothing to pay that month are left out."""
    ledger = Ledger(members_of(org, month), month, month, book=book)
    totals = Totals()
    lines = []
    for line in ledger.lines(month):
        if line.state == "not_owed" and line.payment_id is None:
            continue
        totals.add(line)
        lines.append(line)
    names = dict(Org.objects.in_subtree(org).values_list("pk", "name"))
    return Sheet(org, month, lines, totals, names)


@dataclass
class MemberDues:
    member: Member
    lines: list[Line]
    profile: DuesProfile | None
    profiles: list[DuesProfile]
    payments: list[DuesPayment]
    paid_to: str | None
    unpaid: list[Line]

    @property
    def unpaid_total(self) -> Decimal:
        return sum((x.amount or Decimal("0") for x in self.unpaid), Decimal("0.00"))


def member_dues(
    *,
    member: Member,
    first: dt.date | None = None,
    last: dt.date | None = None,
    book: RateBook | None = None,
) -> MemberDues:
    """A member's months (newest first) from ``first`` (default: 11 months before ``last``)
    to ``last`` (default: this month), the profile history and the payments."""
    last = last or current_month()
    first = first or add_months(last, -11, first=True)
    ledger = Ledger(Member.objects.filter(pk=member.pk), first, last, book=book)
    row = ledger.members[0] if ledger.members else None
    lines = [ledger.line(row, m) for m in reversed(month_range(first, last))] if row else []
    profiles = list(
        DuesProfile.objects.filter(member=member)
        .select_related("created_by")
        .order_by("-effective_month", "-id")
    )
    found = ledger.profile_at(member.pk, last)
    current = next((p for p in profiles if found and p.pk == found[0].pk), None)
    payments = list(
        DuesPayment.objects.filter(member=member).select_related("org", "recorded_by")[:100]
    )
    unpaid = [x for x in lines if x.state == "unpaid" and x.month <= current_month()]
    return MemberDues(
        member,
        [x for x in lines if x.state != "not_owed" or x.payment_id],
        current,
        profiles,
        payments,
        member_paid_to(member),
        unpaid,
    )


def member_paid_to(member) -> str | None:
    """The last month fully paid, ``"YYYY-MM"``, or None: carried on a transfer (TRF-3)
    and printed on the transfer letter and the dues certificate."""
    member_id = getattr(member, "pk", member)
    last = DuesPaidMonth.objects.valid().filter(member_id=member_id).aggregate(m=Max("month"))
    return month_label(last["m"])


def paid_to_map(member_ids) -> dict[int, dt.date]:
    return dict(
        DuesPaidMonth.objects.valid()
        .filter(member__in=member_ids)
        .values("member_id")
        .annotate(m=Max("month"))
        .values_list("member_id", "m")
    )


# --- arrears (DUE-10) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Arrear:
    member_id: int
    name: str
    org_id: int
    months: int  # consecutive unpaid months up to ``as_of``
    since: dt.date  # the first of them
    last_paid: dt.date | None


def arrears(
    *, org: Org, as_of: dt.date, min_months: int = 1, book: RateBook | None = None
) -> list[Arrear]:
    """Members of ``org``'s subtree with at least ``min_months`` consecutive unpaid months
    ending at ``as_of``. Months before the member owes (DUE-6), before their first dues
    profile, and months waived (DUE-5) do not count. Three queries for any subtree."""
    book = book or RateBook()
    members = members_of(org)
    if min_months >= 1:
        # A run of unpaid months ending at ``as_of`` needs ``as_of`` unpaid: the members who
        # paid it (most of them) are left out in the query, not read and judged one by one.
        paid_as_of = DuesPaidMonth.objects.filter(member=OuterRef("pk"), voided=False, month=as_of)
        members = members.exclude(Exists(paid_as_of))
    # Nor are the members without a dues profile by ``as_of`` (nothing owed on the platform).
    profiled = DuesProfile.objects.filter(member=OuterRef("pk"), effective_month__lte=as_of)
    members = members.filter(Exists(profiled))
    # One query: each member with their last paid month and first profile month, each a
    # correlated lookup on the (member, month) indexes (cheaper than grouping every row).
    last_paid_q = (
        DuesPaidMonth.objects.filter(member=OuterRef("pk"), voided=False, month__lte=as_of)
        .order_by("-month")
        .values("month")[:1]
    )
    first_profile_q = (
        DuesProfile.objects.filter(member=OuterRef("pk"), effective_month__lte=as_of)
        .order_by("effective_month")
        .values("effective_month")[:1]
    )
    rows, last_paid, first_profile = [], {}, {}
    for values in members.annotate(
        last_paid=Subquery(last_paid_q), first_profile=Subquery(first_profile_q)
    ).values_list(*MEMBER_FIELDS, "last_paid", "first_profile"):
        row = MemberRow(*values[:-2])
        rows.append(row)
        last_paid[row.id], first_profile[row.id] = values[-2], values[-1]
    waivers: dict[int, list[DuesProfile]] = defaultdict(list)
    # The profiles of members ever waived (few), read by member; others' are ignored below.
    waived_ids = DuesProfile.objects.filter(adjustment=DuesProfile.Adjustment.WAIVED).values(
        "member_id"
    )
    for profile in DuesProfile.objects.filter(
        member__in=waived_ids, effective_month__lte=as_of
    ).order_by("effective_month", "id"):
        if profile.member_id in last_paid:
            waivers[profile.member_id].append(profile)
    params = book.rule("DUE-6", as_of).params
    found = []
    for m in rows:
        first = first_profile.get(m.id)
        start = owed_from(m, params, first) if first is not None else None
        if start is None:
            continue
        paid = last_paid.get(m.id)
        run_start = max(start, add_months(paid, 1, first=True)) if paid else start
        count = month_count(run_start, as_of)
        if m.id in waivers and count:
            count, run_start = _without_waived(waivers[m.id], run_start, as_of)
        if count >= min_months:
            found.append(Arrear(m.id, m.name, m.org_id, count, run_start, paid))
    found.sort(key=lambda a: (-a.months, a.org_id, a.name))
    return found


def _without_waived(profiles: list[DuesProfile], first: dt.date, last: dt.date):
    """Consecutive owed months ending at ``last``, walking back over waived months."""
    months = [p.effective_month for p in profiles]
    count, since = 0, first
    for month in reversed(month_range(first, last)):
        i = bisect.bisect_right(months, month) - 1
        if i >= 0 and profiles[i].adjustment == DuesProfile.Adjustment.WAIVED:
            if count:
                break
            continue
        count, since = count + 1, month
    return count, since


def paid_counts(*, org: Org, month: dt.date) -> dict[int, int]:
    """Members who paid ``month``, per branch (org id): one aggregate. A member has one
    valid row per month (``dues_month_paid_once``), so rows are counted, not distinct
    members (which sorted a province's million rows)."""
    from django.db.models import Count

    return dict(
        DuesPaidMonth.objects.valid()
        .filter(org__in=Org.objects.in_subtree(org).values("pk"), month=month)
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
        .order_by()
    )


# --- yearly summary -----------------------------------------------------------------------


@dataclass
class SummaryRow:
    org: Org
    totals: Totals = field(default_factory=Totals)
    member_ids: set = field(default_factory=set)
    is_total: bool = False  # the subtree's total (the last row)

    @property
    def headcount(self) -> int:
        return len(self.member_ids)

    @property
    def title(self) -> str:
        return f"{self.org.name}（合计）" if self.is_total else self.org.name


def yearly_summary(*, org: Org, year: int, today: dt.date | None = None) -> list[SummaryRow]:
    """Per branch of ``org``'s subtree, and the subtree total (last row): 应交 / 实交 /
    人数 / rate for ``year`` up to the current month. A member counts in their current
    branch; 应交 sums each owed month's dues by the rules then in force, 实交 the months
    of the year paid (one aggregate)."""
    today = today or timezone.localdate()
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 1), current_month(today))
    branches = {
        o.pk: SummaryRow(o)
        for o in Org.objects.in_subtree(org).filter(kind=Org.Kind.BRANCH).order_by("path")
    }
    total = SummaryRow(org, is_total=True)
    if last >= first:
        members = members_of(org, first)
        ledger = Ledger(members, first, last, with_paid=False)
        months = month_range(first, last)
        paid = dict(
            DuesPaidMonth.objects.valid()
            .filter(member__in=members.values("pk"), month__gte=first, month__lte=last)
            .values("member_id")
            .annotate(s=Sum("amount"))
            .values_list("member_id", "s")
        )
        for member in ledger.members:
            due, owes = ledger.due_total(member, months)
            got = paid.get(member.id) or Decimal("0.00")
            if not owes and not got:
                continue
            for row in (total, branches.get(member.org_id)):
                if row is not None:
                    row.totals.due += due
                    row.totals.paid += got
                    row.member_ids.add(member.id)
    return [*branches.values(), total]


def disclosures_for(*, user, org: Org | None = None) -> QuerySet[DuesDisclosure]:
    qs = DuesDisclosure.objects.visible_to(user).select_related("org", "published_by")
    if org is not None:
        qs = qs.filter(org=org)
    return qs


# --- the member's phone page, kept while unchanged ------------------------------------------


def _mine_stamp_sql() -> str:
    from dangjian.core.models import Notification
    from dangjian.standards.models import Rule

    member, org = Member._meta.db_table, Org._meta.db_table
    profile, payment = DuesProfile._meta.db_table, DuesPayment._meta.db_table
    disclosure, rule = DuesDisclosure._meta.db_table, Rule._meta.db_table
    notification = Notification._meta.db_table
    return f"""SELECT m.updated_at,
          (SELECT o.updated_at FROM {org} o WHERE o.id = m.org_id),
          (SELECT COUNT(*) FROM {profile} p WHERE p.member_id = m.id),
          (SELECT MAX(p.updated_at) FROM {profile} p WHERE p.member_id = m.id),
          (SELECT COUNT(*) FROM {payment} p WHERE p.member_id = m.id),
          (SELECT MAX(p.updated_at) FROM {payment} p WHERE p.member_id = m.id),
          (SELECT COUNT(*) FROM {disclosure} d WHERE d.org_id = m.org_id),
          (SELECT MAX(d.updated_at) FROM {disclosure} d WHERE d.org_id = m.org_id),
          (SELECT COUNT(*) FROM {rule}),
          (SELECT MAX(r.updated_at) FROM {rule} r),
          (SELECT COUNT(*) FROM {notification} n
            WHERE n.user_id = %(user)s AND n.read_at IS NULL)
        FROM {member} m WHERE m.id = %(member)s"""


def mine_stamp(request) -> tuple | None:
    """When each row the member's dues page (``dues/mine.html``) shows last changed: the
    member and their org, their dues profiles and payments (a void touches the payment),
    their branch's disclosures, the rules the amounts come from, the unread count; one
    query of index look-ups. The month is in the page's key (``core.pagecache``: the date);
    no member (a manager is sent to the sheet): not kept."""
    from django.db import connection

    user = request.user
    if user.member_id is None or user.is_superuser:
        return None
    with connection.cursor() as cursor:
        cursor.execute(MINE_STAMP_SQL, {"user": user.pk, "member": user.member_id})
        return tuple(cursor.fetchone() or ())


MINE_STAMP_SQL = _mine_stamp_sql()
