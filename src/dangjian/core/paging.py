"""Pagination shared by list pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A list over a whole city or province counts at most this many rows (see CappedPaginator).
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` + 1 rows: a work committee's roll over a
    province (1,000,000 members) is otherwise counted row by row on every page, which costs
    more than the page itself. Below the cap the count is exact; above it the list says
    "10,000+", offers the first ``cap`` rows and asks for a filter or a search.

    The object list counts itself when it can (``capped_count(limit)``, as ``NameSearch``
    does); a queryset is counted through an unordered slice (``SELECT COUNT(*) FROM (… LIMIT
    n)``: ordered, the database would sort every row before it stopped)."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        limit = self.cap + 1
        if hasattr(rows, "capped_count"):
            return rows.capped_count(limit)
        return rows.order_by()[:limit].count()  # unordered: the database stops at the limit

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        shown = min(self.count, self.cap)
        if shown == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, -(-shown // self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.cap)
        return self._get_page(self.object_list[bottom:top], number, self)


def paginate(request, queryset, per_page: int | None = None, *, cap: int | None = None):
    """The page of ``queryset`` that ``?page=`` asks for; ``cap``: count at most that many
    rows (``CappedPaginator``), for lists that can reach a whole province's table."""
    size = per_page or settings.PAGE_SIZE
    paginator = (
        Paginator(queryset, size) if cap is None else CappedPaginator(queryset, size, cap=cap)
    )
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
