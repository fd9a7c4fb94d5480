from django.urls import path

from dangjian.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("export/", views.export, name="export"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominations/", views.nominations, name="nominations"),
    path("<int:talent_id>/", views.talent, name="talent"),
    path("<int:talent_id>/review/", views.review, name="review"),
    path("<int:talent_id>/confirm/", views.confirm, name="confirm"),
    path("<int:talent_id>/retire/", views.retire, name="retire"),
    path("<int:talent_id>/certificates/", views.certificate, name="certificate"),
    path("<int:talent_id>/assignments/", views.assign, name="assign"),
    path(
        "assignments/<int:talent_assignment_id>/close/",
        views.assignment_close,
        name="assignment_close",
    ),
    path("tracks/", views.tracks, name="tracks"),
    path("tracks/new/", views.track_new, name="track_new"),
    path("tracks/<int:track_id>/", views.track, name="track"),
    path("tracks/<int:track_id>/items/", views.track_item, name="track_item"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/<int:org_id>/", views.staffing_org, name="staffing_org"),
    path("staffing/positions/<int:position_id>/", views.full_time, name="full_time"),
    path("m/", views.mine, name="mine"),
    path("m/<int:talent_id>/consent/", views.consent, name="consent"),
]
