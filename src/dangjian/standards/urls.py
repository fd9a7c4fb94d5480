from django.urls import path

from dangjian.standards import views
from dangjian.standards.ask import views as ask_views

app_name = "standards"
urlpatterns = [
    path("", views.library, name="library"),
    path("documents/<int:standard_id>/", views.standard_detail, name="standard"),
    path(
        "documents/<int:standard_id>/articles/<int:article_id>/",
        views.article_detail,
        name="article",
    ),
    path("rules/<str:code>/", views.rule_detail, name="rule"),
    path("rules/<str:code>/edit/", views.rule_edit, name="rule_edit"),
    path("board/", views.board, name="board"),
    path("board/<int:org_id>/", views.board, name="board_org"),
    path("board/<int:org_id>/evaluate/", views.board_refresh, name="board_refresh"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("heatmap/<int:org_id>/", views.heatmap, name="heatmap_org"),
    path("heatmap/<int:org_id>/export/", views.heatmap_export, name="heatmap_export"),
    # 法规问答 (standards/ask): the staff page and the member's phone page.
    path("ask/", ask_views.ask_page, name="ask"),
    path("m/ask/", ask_views.my_ask, name="my_ask"),
]
