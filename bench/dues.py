"""Dues at city scale (2,000 branches, 50,000 members).

- the monthly sheet of every member of the whole tree (target: under 5 s on SQLite);
- arrears (consecutive unpaid months, DUE-10) for the whole tree (target: under 2 s), and
  the DUE-10 checker through the standards engine;
- the yearly summary of the whole tree; the sheet page and API of one branch and of one
  committee, through the full Django stack.

Run with the others (``make bench``, ``make bench ONLY=dues``) or alone:
``python bench/dues.py [--var-dir /tmp/bench-var]`` (builds the city data there if absent).
"""

from __future__ import annotations

import sys
from pathlib import Path

SHEET_TARGET_S = 5.0
ARREARS_TARGET_S = 2.0


def run() -> None:
    from django.urls import reverse

    from bench import api_client_as, client_as, measure, print_table, timed
    from dangjian.dues import selectors
    from dangjian.dues.rates import month_label
    from dangjian.members.models import Member
    from dangjian.orgs.models import Org
    from dangjian.standards import periods as P
    from dangjian.standards.engine import evaluate

    reverse("dues:sheet")  # load the URLconf now: its one-time import is not the checker's
    root = Org.objects.get(kind=Org.Kind.WORK_COMMITTEE, parent__isnull=True)
    month = selectors.current_month()
    as_of = selectors.closed_month(month, P.local_today())
    members = Member.objects.filter(org__path__startswith=root.path, left_on__isnull=True)
    print(
        f"members on the rolls: {members.count():,}; party members: "
        f"{members.filter(status__in=selectors.PARTY).count():,}; "
        f"sheet month {month_label(month)}, arrears as of {month_label(as_of)}"
    )
    sheet = timed(
        f"monthly sheet, whole tree ({month_label(month)})",
        lambda: selectors.monthly_sheet(org=root, month=month),
        SHEET_TARGET_S,
    )
    t = sheet.totals
    print(
        f"  {len(sheet.lines):,} lines; owe {t.members:,}, paid {t.paid_members:,}; "
        f"due {t.due} yuan, paid {t.paid} yuan; rate {t.rate}%"
    )
    rows = timed(
        f"arrears, whole tree (as of {month_label(as_of)})",
        lambda: selectors.arrears(org=root, as_of=as_of),
        ARREARS_TARGET_S,
    )
    print(
        f"  {len(rows):,} members with unpaid months; "
        f"{sum(1 for a in rows if a.months >= 3):,} at 3+; "
        f"{sum(1 for a in rows if a.months >= 6):,} at 6+"
    )
    findings = timed(
        "DUE-10 checker through the standards engine",
        lambda: evaluate(root, P.containing("month", P.local_today()), codes=["DUE-10"]),
    )
    print(f"  {len(findings):,} findings")
    timed(
        f"yearly summary, whole tree ({month.year})",
        lambda: selectors.yearly_summary(org=root, year=month.year),
    )
    branch = Org.objects.filter(kind=Org.Kind.BRANCH).order_by("path").first()
    committee = Org.objects.filter(kind=Org.Kind.COMMITTEE).order_by("path").first()
    pages = [
        measure(client_as("shuji"), "/dues/", who="支部书记", what="/dues/ (own branch)"),
        measure(client_as("shuji"), "/dues/me/", who="支部书记", what="/dues/me/"),
        measure(
            client_as("dangwei"),
            f"/dues/?org={committee.pk}",
            who="机关党委",
            what="/dues/?org=<committee>",
            repeat=5,
        ),
        measure(
            client_as("dangwei"),
            f"/dues/arrears/?org={committee.pk}",
            who="机关党委",
            what="/dues/arrears/?org=<committee>",
            repeat=5,
        ),
    ]
    print_table("Dues pages", pages)
    api = [
        measure(
            api_client_as("admin"),
            f"/api/v1/dues/sheet?org={branch.pk}&month={month_label(month)}",
            who="admin",
            what="/api/v1/dues/sheet?org=<branch>",
        )
    ]
    print_table("Dues API", api)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench.run import main

    sys.exit(main(["--only", "dues", *sys.argv[1:]]))
