"""The public portal at /public/ (no login): its index and the public pages of publicity.
Engagement's pages live under /public/engagement/ (their own URLconf)."""

from django.urls import path

from dangjian.publicity import public

app_name = "portal"
urlpatterns = [
    path("", public.index, name="index"),
    path("articles/", public.articles, name="articles"),
    path("articles/<int:public_article_id>/", public.article, name="article"),
    path("articles/<int:public_article_id>/cover/", public.article_cover, name="article_cover"),
    path("role-models/", public.role_models, name="role_models"),
    path("role-models/<int:public_role_model_id>/", public.role_model, name="role_model"),
    path(
        "role-models/<int:public_role_model_id>/photo/",
        public.role_model_photo,
        name="role_model_photo",
    ),
    path("disclosures/", public.disclosures, name="disclosures"),
    path("disclosures/<int:public_disclosure_id>/", public.disclosure, name="disclosure"),
    path("feed.atom", public.feed_atom, name="feed_atom"),
    path("feed.json", public.feed_json, name="feed_json"),
]
