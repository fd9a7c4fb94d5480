"""The public portal at /public/ (no login): its index and the public pages of publicity."""

app_name = "portal"
urlpatterns: list = []
