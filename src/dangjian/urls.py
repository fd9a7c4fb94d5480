from django.urls import include, path

from dangjian.api.api import api

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("standards/", include("dangjian.standards.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("development/", include("dangjian.development.urls")),
    path("learning/", include("dangjian.learning.urls")),
    path("work/", include("dangjian.work.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("statistics/", include("dangjian.statistics.urls")),
    path("dashboard/", include("dangjian.dashboard.urls")),
    path("publicity/", include("dangjian.publicity.urls")),
    path("engagement/", include("dangjian.engagement.urls")),
    path("talent/", include("dangjian.talent.urls")),
    path("opinion/", include("dangjian.opinion.urls")),
    # The public portal (no login): engagement's pages first, publicity owns the rest.
    path("public/engagement/", include("dangjian.engagement.public_urls")),
    path("public/", include("dangjian.publicity.public_urls")),
    path("api/v1/", api.urls),
]

handler404 = "dangjian.core.views.not_found"
handler500 = "dangjian.core.views.server_error"
