from django.urls import path

from dangjian.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.annual, name="annual"),
    path("generate/", views.generate, name="generate"),
    path("export/", views.export, name="export"),
    path("cell/", views.cell, name="cell"),
]
