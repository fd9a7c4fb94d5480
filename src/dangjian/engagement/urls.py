from django.urls import path

from dangjian.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("consultations/<int:consultation_id>/", views.consultation, name="consultation"),
    path(
        "consultations/<int:consultation_id>/faq/", views.consultation_faq, name="consultation_faq"
    ),
    path("topics/", views.topics, name="topics"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/", views.survey, name="survey"),
    path("surveys/<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:survey_id>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:survey_id>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:survey_id>/tokens/", views.survey_tokens, name="survey_tokens"),
    path("surveys/<int:survey_id>/export/", views.survey_export, name="survey_export"),
    # Member pages (phone shell).
    path("mine/", views.mine, name="mine"),
    path("mine/surveys/<int:survey_id>/", views.survey_answer, name="survey_answer"),
]
