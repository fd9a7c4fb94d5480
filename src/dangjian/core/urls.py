from django.urls import path

from dangjian.core import views
from dangjian.core.channels import views as channels

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
    # Outgoing channels (core/channels): an org's robots, webhooks and mailboxes.
    path("channels/", channels.channel_list, name="channels"),
    path("channels/new/", channels.channel_new, name="channel_new"),
    path("channels/<int:channel_id>/", channels.channel_detail, name="channel"),
    path("channels/<int:channel_id>/edit/", channels.channel_edit, name="channel_edit"),
    path("channels/<int:channel_id>/test/", channels.channel_test, name="channel_test"),
    path("channels/<int:channel_id>/disable/", channels.channel_disable, name="channel_disable"),
    path("channels/<int:channel_id>/enable/", channels.channel_enable, name="channel_enable"),
]
