from django.urls import path

from dangjian.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("audit/", views.audit_log, name="audit"),
    path("help/", views.help_page, name="help"),
    path("help/<slug:guide>/", views.help_guide, name="help_guide"),
    path("search/", views.search_page, name="search"),
    path("org/switch/", views.org_switch, name="org_switch"),
    path("healthz", views.healthz, name="healthz"),
]
