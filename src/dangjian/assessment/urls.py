from django.urls import path

from dangjian.assessment import views
from dangjian.assessment.supervision import views as supervision

app_name = "assessment"
urlpatterns = [
    path("rectifications/", views.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/",
        views.rectification_detail,
        name="rectification_detail",
    ),
    # Supervision (issue 13, parts 3-5): inspections, duty reports, talks.
    path("inspections/", supervision.inspection_list, name="inspections"),
    path(
        "inspections/<int:inspection_id>/",
        supervision.inspection_detail,
        name="inspection_detail",
    ),
    path("duty-reports/", supervision.duty_report_list, name="duty_reports"),
    path(
        "duty-reports/<int:duty_report_id>/",
        supervision.duty_report_detail,
        name="duty_report_detail",
    ),
    path("talks/", supervision.talk_list, name="talks"),
    path("talks/<int:talk_id>/", supervision.talk_detail, name="talk_detail"),
]

# Assessment schemes (issue 13, parts 1-2): list and designer, results, one target's sheet.
from dangjian.assessment.schemes import views as scheme_views  # noqa: E402

urlpatterns += [
    path("schemes/", scheme_views.scheme_list, name="indicators"),
    path("schemes/<int:scheme_id>/", scheme_views.scheme_detail, name="scheme"),
    path(
        "schemes/<int:scheme_id>/results/",
        scheme_views.scheme_results_page,
        name="scheme_results",
    ),
    path(
        "schemes/<int:scheme_id>/orgs/<int:org_id>/",
        scheme_views.scheme_target,
        name="scheme_target",
    ),
    path("scores/<int:score_id>/review/", scheme_views.score_review_post, name="score_review"),
]
