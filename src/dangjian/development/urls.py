from django.urls import path
from django.views.generic import RedirectView

from dangjian.development import views

app_name = "development"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="development:cases")),
    path("cases/", views.cases, name="cases"),
    path("mine/", views.mine, name="mine"),
    path("cases/eligible/", views.eligible, name="eligible"),
    path("materials/<int:material_id>/", views.material_download, name="material_download"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/steps/<int:n>/", views.case_step, name="case_step"),
    path("cases/<int:case_id>/steps/<int:n>/correct/", views.case_correct, name="case_correct"),
    path("cases/<int:case_id>/steps/<int:n>/materials/", views.case_material, name="case_material"),
    path("cases/<int:case_id>/reviews/", views.case_review, name="case_review"),
    path("cases/<int:case_id>/extend/", views.case_extend, name="case_extend"),
    path("cases/<int:case_id>/cancel/", views.case_cancel, name="case_cancel"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:transfer_id>/steps/<int:n>/", views.transfer_step, name="transfer_step"),
    path(
        "transfers/<int:transfer_id>/steps/<int:n>/materials/",
        views.transfer_material,
        name="transfer_material",
    ),
    path("transfers/<int:transfer_id>/letter/", views.transfer_letter, name="transfer_letter"),
    path("transfers/<int:transfer_id>/return/", views.transfer_return, name="transfer_return"),
    path(
        "transfers/<int:transfer_id>/steps/<int:n>/correct/",
        views.transfer_correct,
        name="transfer_correct",
    ),
    path("transfers/<int:transfer_id>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("elections/", views.elections, name="elections"),
    path("elections/<int:election_id>/", views.election_detail, name="election_detail"),
    path("elections/<int:election_id>/steps/<int:n>/", views.election_step, name="election_step"),
    path(
        "elections/<int:election_id>/steps/<int:n>/materials/",
        views.election_material,
        name="election_material",
    ),
    path(
        "elections/<int:election_id>/steps/<int:n>/correct/",
        views.election_correct,
        name="election_correct",
    ),
    path("elections/<int:election_id>/cancel/", views.election_cancel, name="election_cancel"),
]
