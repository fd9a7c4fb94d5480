from django.urls import path

from dangjian.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.sheet, name="sheet"),
    path("collect/", views.collect, name="collect"),
    path("me/", views.mine, name="mine"),
    path("arrears/", views.arrears, name="arrears"),
    path("summary/", views.summary, name="summary"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("disclosures/<int:disclosure_id>/", views.disclosure, name="disclosure"),
    path("members/<int:member_id>/", views.member, name="member"),
    path("members/<int:member_id>/profile/", views.profile_edit, name="profile_edit"),
    path("members/<int:member_id>/pay/", views.payment_new, name="payment_new"),
    path("members/<int:member_id>/certificate/", views.certificate, name="certificate"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment"),
    path("payments/<int:payment_id>/void/", views.payment_void, name="payment_void"),
]
