"""Reads of member data, always through the gate."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower

from dangjian.accounts import oauth
from dangjian.core import crypto
from dangjian.core.idnumber import normalize
from dangjian.core.models import Notification
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Org, Position, Unit

ASCII_RE = re.compile(r"^[a-z]+$")
DIGITS_RE = re.compile(r"^\d{1,17}[\dxX]?$")
SEPARATORS_RE = re.compile(r"[\s-]")
# Digits of an ID number that may stand in a URL: the tail, as the masked form shows it.
URL_DIGITS = 4


def search_q(text: str) -> Q:
    """Name, full pinyin ("zhangsan"), pinyin initials ("zs"), or ID number digits."""
    text = (text or "").strip()
    if not text:
        return Q()
    halves = pinyin_halves(text)
    if halves:
        return halves[0] | halves[1]
    compact = SEPARATORS_RE.sub("", text)
    if DIGITS_RE.match(compact):
        number = normalize(compact)
        if len(number) == 18:
            return Q(id_number_hash=crypto.lookup_hash(number))
        # Only the last four digits are kept in clear (masked form); match those.
        return Q(id_number_masked__endswith=number[-4:])
    return Q(name__contains=text)


def pinyin_halves(text: str) -> tuple[Q, Q] | None:
    """A search in latin letters matches the pinyin initials or the full pinyin: the two
    index ranges whose union it is; ``None`` for any other text."""
    lower = (text or "").strip().lower().replace(" ", "")
    if not ASCII_RE.match(lower):
        return None
    return _prefix_q("name_initials", lower), _prefix_q("name_pinyin", lower)


def _prefix_q(field: str, prefix: str) -> Q:
    """``field`` starts with the lower-case letters ``prefix``, as a range on the field's
    index (``"zw" <= value < "zx"``). ``startswith`` becomes ``LIKE 'zw%'``, which SQLite
    answers by reading every row (its LIKE ignores case, the index does not); the range
    is read from the index on SQLite and PostgreSQL alike, and the count with it."""
    q = Q(**{f"{field}__gte": prefix})
    stem = prefix.rstrip("z")
    if stem:  # "zw" -> "zx", "hz" -> "i"; a prefix of only z's has no upper bound
        q &= Q(**{f"{field}__lt": stem[:-1] + chr(ord(stem[-1]) + 1)})
    return q


def search_url_value(text: str) -> str:
    """The part of a search text that may stand in a URL (browser history, access log).

    A full ID number never does: "". Shorter digit runs are searched by their last four
    digits anyway (see ``search_q``), so the URL carries only those and finds the same rows.
    Any other text with more than four digits in it is kept out too; names and pinyin pass.
    """
    text = (text or "").strip()
    compact = SEPARATORS_RE.sub("", text)
    if DIGITS_RE.match(compact):
        number = normalize(compact)
        return "" if len(number) == 18 else number[-URL_DIGITS:]
    if sum(c.isdigit() for c in text) > URL_DIGITS:
        return ""
    return text


def member_list(
    *,
    user,
    q: str = "",
    status: str = "",
    org: Org | None = None,
    include_left: bool = False,
    order: str = "name",
) -> QuerySet[Member]:
    qs = Member.objects.visible_to(user).select_related("org", "unit")
    if not include_left:
        qs = qs.on_rolls()
    if org is not None:
        qs = qs.in_subtree(org)
    if status:
        qs = qs.filter(status=status)
    qs = qs.filter(search_q(q))
    orderings = {
        "name": ["name_pinyin", "id"],
        "-name": ["-name_pinyin", "-id"],
        "org": ["org__path", "name_pinyin"],
        "status": ["status", "name_pinyin"],
        "full_at": ["full_at", "name_pinyin"],
        "-full_at": ["-full_at", "name_pinyin"],
        "birth_date": ["birth_date", "id"],
    }
    return qs.order_by(*orderings.get(order, orderings["name"]))


NAME_ORDERS = {"name": ("name_pinyin", "pk"), "-name": ("-name_pinyin", "-pk")}


# The columns of the roll page (members/list.html): its rows read only these and their org's
# name (no unit), not the ~40 columns of a member and of its org and unit.
LIST_COLUMNS = (
    "name",
    "name_pinyin",
    "gender",
    "birth_date",
    "id_number_masked",
    "phone",
    "org_id",
    "org__name",
    "status",
    "full_at",
    "is_retired",
    "is_mobile",
)


def member_rows(
    *,
    user,
    q: str = "",
    status: str = "",
    org: Org | None = None,
    order: str = "name",
    columns: tuple[str, ...] = (),
) -> QuerySet[Member] | NameSearch:
    """``member_list`` for a page (the list page, the API): what ``Paginator`` and
    ``page_of`` count and slice. A pinyin search in name order is a ``NameSearch``.
    ``columns``: read only these (``LIST_COLUMNS``), with the org and not the unit."""

    def narrow(qs: QuerySet[Member]) -> QuerySet[Member]:
        return qs.select_related(None).select_related("org").only(*columns) if columns else qs

    halves = pinyin_halves(q)
    parts = halves or _name_part(q)
    if parts is None or order not in NAME_ORDERS:
        return narrow(member_list(user=user, q=q, status=status, org=org, order=order))
    base = narrow(member_list(user=user, status=status, org=org))
    if halves is None:
        return NameSearch(base, parts, NAME_ORDERS[order], walk=(False,))
    if len(q.strip()) == 1:  # one letter: the initials start with it iff the pinyin does
        return NameSearch(base, halves[1:], NAME_ORDERS[order], walk=(True,))
    # The full-pinyin half is a range of the sort key itself: read in order (``walk``).
    return NameSearch(base, halves, NAME_ORDERS[order], walk=(False, True))


def _name_part(text: str) -> tuple[Q] | None:
    """The search of a text in Chinese (anything but latin letters and ID digits): its name."""
    text = (text or "").strip()
    if not text or pinyin_halves(text) or DIGITS_RE.match(SEPARATORS_RE.sub("", text)):
        return None
    return (search_q(text),)


class NameSearch:
    """The members of ``base`` matching either half of a pinyin search (or a name in Chinese),
    in name order, as ``Paginator`` and ``page_of`` read them (``count()`` and a slice).

    Asked as one query with ``OR``, the database reads every matching row and sorts them
    all for a page of 50 (about 4,000 rows for "zhang" in a city, 80,000 in a province).
    Here each half is its own index range ("arm"), leaving out the rows of the arms before
    it (so no row comes twice): a page reads each arm in (pinyin, id) order up to the page's
    end — an ordered index read that stops there (PostgreSQL sorts only within equal
    pinyin) — and merges them; the capped count counts each arm no further than the cap.
    Asked as one ``UNION ALL … ORDER BY … LIMIT``, PostgreSQL appended both ranges and
    sorted all 80,000 (0.2 s); a ``UNION`` also hashed them. The page's rows are then read by
    id, through ``base`` again. Same rows, same order as ``member_list(q=...)`` (the pinyin
    is lower-case latin, which Python and the database order alike).

    Only an arm that is a range of the pinyin itself (``walk``) is read in index order. Any
    other (the initials' range, a name in Chinese ``name LIKE '%张%'``) has its keys read
    from its own index and sorted, the sort key written ``LOWER(name_pinyin)`` (the pinyin
    is lower case already) so that the planner cannot walk the pinyin index row by row
    until the page is full: 45,000 rows for "张" in a city, and for the initials "zw" in a
    province PostgreSQL walked from "a" (1.7 s) where the 9,000 keys sort in milliseconds."""

    ordered = True  # Paginator's check

    def __init__(
        self,
        base: QuerySet[Member],
        parts: tuple[Q, ...],
        order: tuple[str, str],
        *,
        walk: tuple[bool, ...],
    ):
        self.base, self.parts, self.order, self.walk = base, parts, order, walk

    def _arms(self) -> list[QuerySet]:
        return [
            self.base.filter(part, *(~before for before in self.parts[:i]))
            .order_by()
            .values_list("pk", "name_pinyin")
            for i, part in enumerate(self.parts)
        ]

    def _ordered(self, arm: QuerySet, walk: bool) -> QuerySet:
        key, pk = self.order
        if walk:
            return arm.order_by(key, pk)
        pinyin = Lower(key.lstrip("-"))
        return arm.order_by(pinyin.desc() if key.startswith("-") else pinyin, pk)

    def count(self) -> int:
        return sum(arm.count() for arm in self._arms())

    def capped_count(self, limit: int) -> int:
        """The count, read no further than ``limit`` keys (``core.paging.CappedPaginator``)."""
        total = 0
        for arm in self._arms():
            total += arm[: limit - total].count()
            if total >= limit:
                break
        return total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Member]:
        if not isinstance(index, slice) or index.stop is None:
            raise TypeError("NameSearch is read by pages (a slice with an end)")
        start = index.start or 0
        keys = [
            k
            for arm, walk in zip(self._arms(), self.walk, strict=True)
            for k in self._ordered(arm, walk)[: index.stop]
        ]
        keys.sort(key=lambda k: (k[1], k[0]), reverse=self.order[0].startswith("-"))
        ids = [pk for pk, _ in keys[start : index.stop]]
        rows = self.base.filter(pk__in=ids).in_bulk()
        return [rows[pk] for pk in ids if pk in rows]


def unread_count_of(user) -> Coalesce:
    """The user's unread notifications, as a subquery to annotate a row of the page with."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return Coalesce(Subquery(unread.values("user").annotate(n=Count("pk")).values("n")[:1]), 0)


def member_history(*, user, member: Member) -> QuerySet[MemberEvent]:
    return (
        MemberEvent.objects.visible_to(user)
        .filter(member=member)
        .select_related("from_org", "to_org", "actor")
    )


def voting_roll(org: Org, *, scope: str = "branch", excluded_statuses=None) -> QuerySet[Member]:
    """Members on the rolls with the right to vote in ``org`` (voting rights not suspended).

    ``scope="branch"``: the members of ``org`` itself (a vote in a branch meeting);
    ``scope="subtree"``: of ``org`` and every org below it (the vote of a procedure step, an
    election). Full members only, unless ``excluded_statuses`` is given: then every status
    but those (ELE-2's list, which the caller reads from the rule in force).
    """
    if scope not in ("branch", "subtree"):
        raise ValueError(f"unknown scope {scope!r}")
    qs = Member.objects.on_rolls().filter(voting_rights_suspended=False)
    qs = qs.filter(org_id=org.pk) if scope == "branch" else qs.in_subtree(org)
    if excluded_statuses is None:
        return qs.filter(status=Member.Status.FULL)
    return qs.exclude(status__in=list(excluded_statuses))


def _home_stamp_sql() -> str:
    member, event = Member._meta.db_table, MemberEvent._meta.db_table
    org, position = Org._meta.db_table, Position._meta.db_table
    unit, notification = Unit._meta.db_table, Notification._meta.db_table
    positions = f"FROM {position} p WHERE p.user_id = %(user)s OR p.member_id = m.id"
    return f"""SELECT m.updated_at,
          (SELECT MAX(o.updated_at) FROM {org} o WHERE o.id IN (m.org_id, m.group_id)),
          (SELECT u.updated_at FROM {unit} u WHERE u.id = m.unit_id),
          (SELECT COUNT(*) {positions}),
          (SELECT MAX(p.updated_at) {positions}),
          (SELECT MAX(o.updated_at) FROM {org} o WHERE o.id IN (SELECT p.org_id {positions})),
          (SELECT COUNT(*) FROM {event} e WHERE e.member_id = m.id),
          (SELECT MAX(e.id) FROM {event} e WHERE e.member_id = m.id),
          (SELECT MAX(o.updated_at) FROM {org} o
            WHERE o.id IN (SELECT e.to_org_id FROM {event} e WHERE e.member_id = m.id)),
          (SELECT COUNT(*) FROM {notification} n
            WHERE n.user_id = %(user)s AND n.read_at IS NULL)
        FROM {member} m WHERE m.id = %(member)s"""


def home_stamp(request) -> tuple:
    """When each row the member's home (``members/me.html``) shows last changed: the member,
    its org, group and unit, the positions (the user's, which make the reach, and the
    member's) and their orgs, the history and its orgs, the unread count; one query of
    index look-ups; and the logins switched on (WeChat Work, DingTalk: settings). The page
    is kept while it stays the same (``core.pagecache``); an administrator's is not kept
    (``None``)."""
    user = request.user
    if user.is_superuser:
        return None
    logins = tuple(oauth.providers())  # the 账号绑定 tile (settings)
    if user.member_id is None:  # the page says the account has no member; the reach counts
        return (*_user_positions(user), logins)
    with connection.cursor() as cursor:
        cursor.execute(HOME_STAMP_SQL, {"user": user.pk, "member": user.member_id})
        return (*(cursor.fetchone() or ()), logins)


def _user_positions(user) -> tuple:
    rows = Position.objects.filter(user=user)
    return tuple(rows.aggregate(n=Count("pk"), at=Max("updated_at")).values())


HOME_STAMP_SQL = _home_stamp_sql()
