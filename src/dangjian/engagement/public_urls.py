"""Public consultation and surveys under /public/engagement/ (no login)."""

from django.urls import path

from dangjian.engagement import public

app_name = "engagement_public"
urlpatterns = [
    path("ask/", public.ask, name="ask"),
    path("track/", public.track, name="track"),
    path("faq/", public.faq, name="faq"),
    path("surveys/<int:public_survey_id>/", public.survey, name="survey"),
]
