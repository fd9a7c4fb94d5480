from django.urls import path

from dangjian.assessment import views

app_name = "assessment"
urlpatterns = [
    path("rectifications/", views.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/",
        views.rectification_detail,
        name="rectification_detail",
    ),
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
