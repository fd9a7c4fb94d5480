"""Member list, page and API, for a branch secretary and for the work-committee admin.

On the city data (2,000 branches, 50,000 members): the first page of ``/members/``
and of ``GET /api/v1/members``, plain, filtered by a committee's subtree and
searched by pinyin initials, as ``shuji`` (one branch of about 30 members),
``dangwei`` (one committee's subtree) and ``gongwei`` (the whole system); then the work
committee's list and search over HTTP on gunicorn (target p95 < 50 ms; a province's
under 100 ms).
"""

from __future__ import annotations

from bench import api_client_as, client_as, measure, print_table, scaled
from bench._http import measure_http, server, session_cookie

WHO = {
    "shuji": "支部书记 (1 branch)",
    "dangwei": "机关党委 (1 committee)",
    "gongwei": "工委 (all members)",
}


def run() -> None:
    from dangjian.members.models import Member
    from dangjian.orgs.models import Org

    committee = Org.objects.filter(kind="committee").order_by("path").first()
    total = Member.objects.count()
    print(f"members in the database: {total:,}; committee filter: {committee.name}")
    pages, api = [], []
    for username, who in WHO.items():
        page_client, api_client = client_as(username), api_client_as(username)
        urls = [("/members/", "/members/"), ("/members/?q=zw", "/members/?q=zw (pinyin)")]
        api_urls = [("/api/v1/members", "/api/v1/members")]
        if username != "shuji":
            urls += [
                (f"/members/?org={committee.pk}", "/members/?org=<committee>"),
                ("/members/?page=20", "/members/?page=20"),
            ]
            api_urls += [(f"/api/v1/members?org={committee.pk}", "/api/v1/members?org=<committee>")]
        pages += [measure(page_client, url, who=who, what=what) for url, what in urls]
        api += [measure(api_client, url, who=who, what=what) for url, what in api_urls]
    print_table("Member list page", pages)
    print_table("Member list API", api)
    cookie = session_cookie("gongwei")
    with server():
        http = [
            measure_http(url, cookie, who=WHO["gongwei"], what=f"{url} over HTTP")
            for url in ("/members/", "/members/?q=zw", "/members/?q=zhang")
        ]
    target = scaled(50, 100)
    print_table(f"Work committee list and search over HTTP (target p95 < {target} ms)", http)
