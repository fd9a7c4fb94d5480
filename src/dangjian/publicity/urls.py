app_name = "publicity"
urlpatterns: list = []
