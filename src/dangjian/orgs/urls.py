from django.urls import path

from dangjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/children/", views.children, name="children"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
    path("<int:org_id>/dissolve/", views.dissolve, name="dissolve"),
    path("<int:org_id>/positions/new/", views.position_add, name="position_add"),
    path("<int:org_id>/boards/new/", views.board_add, name="board_add"),
    path("positions/<int:position_id>/end/", views.position_end, name="position_end"),
]
