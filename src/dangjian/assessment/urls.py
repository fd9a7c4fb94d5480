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
