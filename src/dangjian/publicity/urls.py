from django.urls import path

from dangjian.publicity import notice_views, phone, views

app_name = "publicity"
urlpatterns = [
    path("", views.articles, name="articles"),
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<int:publicity_article_id>/", views.article, name="article"),
    path("articles/<int:publicity_article_id>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:publicity_article_id>/step/", views.article_step, name="article_step"),
    path("articles/<int:publicity_article_id>/cover/", views.article_cover, name="article_cover"),
    path("role-models/", views.role_models, name="role_models"),
    path("role-models/new/", views.role_model_new, name="role_model_new"),
    path("role-models/<int:role_model_id>/", views.role_model, name="role_model"),
    path("role-models/<int:role_model_id>/edit/", views.role_model_edit, name="role_model_edit"),
    path("role-models/<int:role_model_id>/step/", views.role_model_step, name="role_model_step"),
    path("role-models/<int:role_model_id>/photo/", views.role_model_photo, name="role_model_photo"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/new/", views.disclosure_new, name="disclosure_new"),
    path("disclosures/<int:publicity_disclosure_id>/", views.disclosure, name="disclosure"),
    path(
        "disclosures/<int:publicity_disclosure_id>/items/",
        views.disclosure_item,
        name="disclosure_item",
    ),
    path(
        "disclosures/<int:publicity_disclosure_id>/step/",
        views.disclosure_step,
        name="disclosure_step",
    ),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/new/", notice_views.notice_new, name="notice_new"),
    path("notices/<int:publicity_notice_id>/", notice_views.notice, name="notice"),
    path(
        "notices/<int:publicity_notice_id>/change/",
        notice_views.notice_change,
        name="notice_change",
    ),
    path(
        "notices/<int:publicity_notice_id>/attachments/<int:notice_attachment_id>/",
        notice_views.notice_attachment,
        name="notice_attachment",
    ),
    path("m/notices/", phone.my_notices, name="my_notices"),
    path("m/notices/<int:publicity_notice_id>/", phone.my_notice, name="my_notice"),
    path("m/", phone.my_articles, name="my_articles"),
    path("m/articles/<int:publicity_article_id>/", phone.my_article, name="my_article"),
]
