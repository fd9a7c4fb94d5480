app_name = "talent"
urlpatterns: list = []
