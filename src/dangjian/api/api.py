"""The JSON API at /api/v1/: assembles the router each app defines in its api.py."""

from ninja import NinjaAPI
from ninja.parser import Parser

from dangjian.accounts.api import auth_router, users_router
from dangjian.api import errors
from dangjian.api.auth import BearerAuth, PasswordChangeRequired
from dangjian.api.openapi import HonestOpenAPISchema
from dangjian.assessment.api import router as assessment_router
from dangjian.assessment.schemes.api import router as scheme_router
from dangjian.assessment.supervision import api as supervision_api
from dangjian.core.channels.api import router as channels_router
from dangjian.dashboard.api import router as dashboard_router
from dangjian.development.api import router as development_router
from dangjian.dues.api import member_router as dues_member_router
from dangjian.dues.api import router as dues_router
from dangjian.engagement import api as engagement_api
from dangjian.learning.api import router as learning_router
from dangjian.learning.exam_api import points_router
from dangjian.learning.exam_api import router as exams_router
from dangjian.learning.training_api import router as training_router
from dangjian.meetings.api import router as meetings_router
from dangjian.members.api import router as members_router
from dangjian.opinion.api import router as opinion_router
from dangjian.orgs.api import router as orgs_router
from dangjian.publicity.api import (
    articles_router,
    disclosures_router,
    notices_router,
    role_models_router,
)
from dangjian.publicity.api import public_router as publicity_public_router
from dangjian.standards.api import compliance_router, library_router, rules_router
from dangjian.standards.ask.api import router as ask_router
from dangjian.statistics.api import router as statistics_router
from dangjian.talent.api import router as talent_router
from dangjian.work.api import router as work_router


class ObjectBodyParser(Parser):
    """A JSON body must be an object: ``false``, ``[]``, ``"x"`` or ``null`` is refused (400)
    instead of passing for an empty object (ninja schemas read attributes from anything)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


class DangjianAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return HonestOpenAPISchema(self, path_prefix)


api = DangjianAPI(
    title="机关党建平台 API",
    version="1",
    description="与页面同一套服务和权限。认证：先 POST /api/v1/auth/token 取得令牌，"
    "之后每个请求带 `Authorization: Bearer <token>`；令牌闲置超时或到期后失效，"
    "POST /api/v1/auth/logout 注销。错误为 JSON："
    '`{"detail": "中文说明", "errors": [{"field": "...", "message": "..."}]}`。',
    auth=BearerAuth(),
    parser=ObjectBodyParser(),
    urls_namespace="api",
)
errors.install(api)


@api.exception_handler(PasswordChangeRequired)
def _password_change_required(request, exc):
    body = {"detail": exc.message, "errors": [], "code": exc.code}
    return api.create_response(request, body, status=403)


# Every router at its own prefix: an operation's path is its prefix + its own path.
api.add_router("/auth", auth_router)
api.add_router("/users", users_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/meetings", meetings_router)
api.add_router("/compliance", compliance_router)
api.add_router("/standards", library_router)
api.add_router("/standards/ask", ask_router)
api.add_router("/rules", rules_router)
api.add_router("/dues", dues_router)
api.add_router("/members", dues_member_router)
api.add_router("/development", development_router)
api.add_router("/rectifications", assessment_router)
api.add_router("/learning", learning_router)
api.add_router("/learning", exams_router)
api.add_router("/points", points_router)
api.add_router("/work", work_router)
api.add_router("/learning", training_router)
api.add_router("/assessment", scheme_router)  # schemes, results, scores
# Supervision (issue 13, parts 3-5): inspections, duty reports, talks.
api.add_router("/inspections", supervision_api.inspection_router)
api.add_router("/duty-reports", supervision_api.duty_router)
api.add_router("/talks", supervision_api.talk_router)
api.add_router("/statistics", statistics_router)
api.add_router("/notices", notices_router)
api.add_router("/articles", articles_router)
api.add_router("/role-models", role_models_router)
api.add_router("/disclosures", disclosures_router)
api.add_router("/public", publicity_public_router)
# Engagement (issue 15, parts 5-6): consultations, surveys; /public answers without a token.
api.add_router("/consultations", engagement_api.consultation_router)
api.add_router("/surveys", engagement_api.survey_router)
api.add_router("/public", engagement_api.public_router)
api.add_router("/channels", channels_router)  # outgoing channels (issue 15, part 7)
api.add_router("/talent", talent_router)  # talent pool, staff training tracks (issue 16)
api.add_router("/opinion", opinion_router)  # opinion watch (issue 16, part 3)
api.add_router("/dashboard", dashboard_router)
