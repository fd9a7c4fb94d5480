from django.urls import path

from dangjian.opinion import views

app_name = "opinion"
urlpatterns = [
    path("", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:opinion_item_id>/", views.item, name="item"),
    path("items/<int:opinion_item_id>/dismiss/", views.item_dismiss, name="item_dismiss"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:opinion_case_id>/", views.case, name="case"),
    path("cases/<int:opinion_case_id>/answer/", views.case_answer, name="case_answer"),
    path("cases/<int:opinion_case_id>/close/", views.case_close, name="case_close"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:opinion_source_id>/fetch/", views.source_fetch, name="source_fetch"),
    path("sources/<int:opinion_source_id>/toggle/", views.source_toggle, name="source_toggle"),
    path("keywords/", views.keyword_sets, name="keyword_sets"),
    path("keywords/<int:keyword_set_id>/", views.keyword_set, name="keyword_set"),
]
