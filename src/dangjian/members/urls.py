from django.urls import path

from dangjian.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("import/", views.import_members, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("me/", views.me, name="me"),
    path("pick/", views.pick, name="pick"),
    path("<int:member_id>/", views.detail, name="detail"),
    path("<int:member_id>/edit/", views.edit, name="edit"),
    path("<int:member_id>/leave/", views.leave, name="leave"),
    path("<int:member_id>/reveal-id/", views.reveal_id, name="reveal_id"),
]
