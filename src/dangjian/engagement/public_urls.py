"""Public consultation and surveys under /public/engagement/ (no login)."""

app_name = "engagement_public"
urlpatterns: list = []
