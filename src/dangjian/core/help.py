"""The 帮助 link: the user guides (``docs/guide/<guide>.md``, one per role) shown inside the
platform, opened at the section that explains the page a person is on.

``SECTIONS`` is the one place that says which guide section explains which page: URL name
(or a whole URL namespace) → anchor. A guide marks its sections with ``<a id="anchor"></a>``
in the heading, which both GitHub and the help page understand. The Markdown is rendered with
markdown-it-py and sanitized with nh3; the screenshots (``docs/guide/img/``) are static files
under ``guide/`` (``settings.GUIDE_DIR``), served without a session like any other.
"""

from __future__ import annotations

import functools
import re

import nh3
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from markdown_it import MarkdownIt

from dangjian.core.scope import Reach, org_tree

# Guide slug → who it is for (the order of the tabs on the help page).
GUIDES: dict[str, str] = {
    "secretary": "支部书记",
    "committee": "党委（工委）工作人员",
    "member": "党员（手机）",
    "leader": "领导",
}

# URL name or namespace → guide section. A page not listed opens its role's guide at the top.
SECTIONS: dict[str, str] = {
    "core:home": "workbench",
    "core:inbox": "inbox",
    "core:audit": "audit",
    "orgs": "orgs",
    "members": "members",
    "members:me": "me",
    "meetings": "meetings",
    "meetings:create": "meeting-arrange",
    "meetings:edit": "meeting-arrange",
    "meetings:plan": "meeting-plan",
    "meetings:notice": "meeting-notify",
    "meetings:screen": "meeting-signin",
    "meetings:record": "meeting-record",
    "meetings:print": "meeting-print",
    "meetings:register": "meeting-ledger",
    "meetings:appraisals": "appraisals",
    "meetings:appraisal_detail": "appraisals",
    "meetings:my_meetings": "my-meetings",
    "meetings:my_meeting": "my-meetings",
    "meetings:my_code": "my-signin",
    "meetings:my_history": "my-meetings",
    "meetings:my_appraisal": "my-appraisal",
    "dues": "dues",
    "dues:arrears": "dues-arrears",
    "dues:summary": "dues-summary",
    "dues:disclosures": "dues-summary",
    "dues:disclosure": "dues-summary",
    "dues:mine": "my-dues",
    "dues:certificate": "my-dues",
    "development": "development",
    "development:mine": "my-development",
    "development:transfers": "transfers",
    "development:transfer_detail": "transfers",
    "development:elections": "elections",
    "development:election_detail": "elections",
    "standards": "standards",
    "standards:heatmap": "heatmap",
    "standards:heatmap_org": "heatmap",
    "standards:ask": "ask",
    "standards:my_ask": "ask",
    "assessment": "rectifications",
    "assessment:indicators": "assessment-schemes",
    "assessment:scheme": "assessment-schemes",
    "assessment:scheme_results": "assessment-results",
    "assessment:scheme_target": "assessment-results",
    "assessment:score_review": "assessment-results",
    # Supervision (issue 13, parts 3-5).
    "assessment:inspections": "inspections",
    "assessment:inspection_detail": "inspections",
    "assessment:duty_reports": "duty-reports",
    "assessment:duty_report_detail": "duty-reports",
    "assessment:talks": "talks",
    "assessment:talk_detail": "talks",
    "learning": "learning",
    "learning:hours": "learning-hours",
    "learning:my_courses": "my-learning",
    "learning:my_course": "my-learning",
    "learning:study": "my-learning",
    "learning:my_hours": "my-hours",
    "learning:banks": "learning-exams",
    "learning:bank": "learning-exams",
    "learning:exams": "learning-exams",
    "learning:exam_new": "learning-exams",
    "learning:exam": "learning-exams",
    "learning:exam_results": "learning-exams",
    "learning:points": "learning-points",
    "learning:my_exams": "my-exams",
    "learning:my_exam": "my-exams",
    "learning:take": "my-exams",
    "learning:my_points": "my-points",
    "work": "work",
    "engagement": "engagement",
    "engagement:surveys": "surveys",
    "engagement:survey": "surveys",
    "engagement:survey_new": "surveys",
    "engagement:mine": "my-engagement",
    "engagement:survey_answer": "my-engagement",
    "work:tasks": "work-tasks",
    "work:task": "work-tasks",
    "work:plans": "work-plans",
    "work:plan": "work-plans",
    "work:plan_new": "work-plans",
    "work:feedback": "work-plans",
    "work:posts": "work-posts",
    "work:post_new": "work-posts",
    "work:pledge_new": "work-posts",
    "work:pledge_fulfil": "work-posts",
    "work:my_tasks": "my-tasks",
    "work:my_task": "my-tasks",
    "work:mine": "my-pledge",
    "learning:trainings": "trainings",
    "learning:training": "trainings",
    "learning:training_new": "trainings",
    "learning:training_sheet": "trainings",
    "learning:records": "outside-records",
    "learning:my_trainings": "my-trainings",
    "learning:my_records": "my-trainings",
    "learning:certificate": "my-hours",
    "accounts": "account",
    "accounts:identities": "account-binding",
    "core:channels": "channels",
    "core:channel": "channels",
    "core:channel_new": "channels",
    "core:channel_edit": "channels",
    "statistics": "statistics",
    "publicity": "publicity",
    "publicity:notices": "publicity-notices",
    "publicity:notice": "publicity-notices",
    "publicity:notice_new": "publicity-notices",
    "publicity:disclosures": "publicity-disclosure",
    "publicity:disclosure": "publicity-disclosure",
    "publicity:disclosure_new": "publicity-disclosure",
    "publicity:my_notices": "my-notices",
    "publicity:my_notice": "my-notices",
    "publicity:my_articles": "my-notices",
    "publicity:my_article": "my-notices",
    "talent": "talent",
    "talent:tracks": "talent-tracks",
    "talent:track": "talent-tracks",
    "talent:track_new": "talent-tracks",
    "talent:staffing": "talent-staffing",
    "talent:staffing_org": "talent-staffing",
    "talent:mine": "my-talent",
    "opinion": "opinion",
    "opinion:sources": "opinion-sources",
    "opinion:keyword_sets": "opinion-sources",
    "opinion:keyword_set": "opinion-sources",
    "dashboard": "dashboard",
    "dashboard:screen": "dashboard-screen",
}

# Raw HTML in the guides is limited to these (the guides are ours, but they are rendered into
# every user's page: sanitize anyway).
TAGS = {"a", "img", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code"}
TAGS |= {"pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "kbd"}
ATTRIBUTES = {"a": {"href", "id"}, "img": {"src", "alt", "width", "height"}}
ATTRIBUTES |= {"th": {"style"}, "td": {"style"}}
GUIDE_LINK = re.compile(r"^(?P<guide>[a-z]+)\.md(?P<anchor>#[a-z0-9-]+)?$")


def section_for(view_name: str | None) -> str | None:
    """The guide section that explains the page with this URL name, or None."""
    if not view_name:
        return None
    return SECTIONS.get(view_name) or SECTIONS.get(view_name.split(":")[0])


def guide_of(reach: Reach, kinds_of_paths: dict[str, str]) -> str:
    """The guide for a person: leaders (secretaries of a committee) and platform admins read
    the leader's guide, other committee staff the committee guide, branch officers the
    secretary's guide, everyone else the member's guide.

    ``kinds_of_paths`` maps the org paths where the person holds a role to the org kind."""
    if reach.everything:
        return "leader"
    if not reach.is_manager:
        return "member"
    upper = {p for p, kind in kinds_of_paths.items() if kind in ("work_committee", "committee")}
    if any(p in upper and r in ("secretary", "deputy_secretary") for p, r in reach.roles):
        return "leader"
    return "committee" if upper else "secretary"


def guide_for_user(reach: Reach) -> str:
    paths = {p for p, _ in reach.roles}
    if not paths:
        return guide_of(reach, {})
    orgs = org_tree().model.objects.filter(path__in=paths)
    return guide_of(reach, dict(orgs.values_list("path", "kind")))


def _rewrite_links(md: MarkdownIt) -> None:
    """Links between guides (``member.md#my-dues``) open the other guide's help page;
    images (``img/x.jpg``) are the static files ``guide/x.jpg``."""

    def rewrite(state) -> None:
        for token in state.tokens:
            for child in token.children or ():
                if child.type == "link_open":
                    match = GUIDE_LINK.match(child.attrGet("href") or "")
                    if match and match["guide"] in GUIDES:
                        url = reverse("core:help_guide", args=[match["guide"]])
                        child.attrSet("href", url + (match["anchor"] or ""))
                elif child.type == "image":
                    src = child.attrGet("src") or ""
                    if src.startswith("img/"):
                        child.attrSet("src", static(f"guide/{src[4:]}"))

    md.core.ruler.push("dj_guide_links", rewrite)


@functools.cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # A line break inside a Chinese paragraph is no space (a browser would show one).
    md.add_render_rule("softbreak", lambda *args: "")
    _rewrite_links(md)
    return md


def guide_source(guide: str) -> str:
    return (settings.GUIDE_DIR / f"{guide}.md").read_text(encoding="utf-8")


def render_guide(guide: str) -> str:
    """The guide as sanitized HTML (rendered again when its file changes)."""
    return _rendered(guide, (settings.GUIDE_DIR / f"{guide}.md").stat().st_mtime_ns)


@functools.lru_cache(maxsize=len(GUIDES))
def _rendered(guide: str, mtime: int) -> str:
    html = _renderer().render(guide_source(guide))
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, link_rel=None)


def anchors_of(guide: str) -> set[str]:
    return set(re.findall(r'<a id="([a-z0-9-]+)"', render_guide(guide)))


def help_target(view_name: str | None, guide: str) -> tuple[str, str | None]:
    """(guide, anchor) to open for a page: the person's own guide when it has the section,
    else the first guide that has it, else the person's guide at the top."""
    section = section_for(view_name)
    if section is None:
        return guide, None
    for candidate in [guide, *GUIDES]:
        if section in anchors_of(candidate):
            return candidate, section
    return guide, None
