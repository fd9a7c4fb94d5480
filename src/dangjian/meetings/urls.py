from django.urls import path

from dangjian.assessment import views as assessment_views
from dangjian.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/record/", views.meeting_record, name="record"),
    path("<int:meeting_id>/print/", views.meeting_print, name="print"),
    path("<int:meeting_id>/notice/", views.meeting_notice, name="notice"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:meeting_id>/attendance/", views.attendance_mark, name="attendance"),
    path("<int:meeting_id>/leave-decision/", views.leave_decision, name="leave_decision"),
    path("<int:meeting_id>/votes/", views.vote_create, name="votes"),
    path("<int:meeting_id>/attachments/", views.attachment_add, name="attachments"),
    path(
        "<int:meeting_id>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
    path("<int:meeting_id>/criticisms/", views.criticism_add, name="criticisms"),
    path("<int:meeting_id>/screen/", views.sign_in_screen, name="screen"),
    path("criticisms/<int:criticism_id>/rectify/", views.criticism_rectify, name="rectify"),
    path("plan/", views.plan, name="plan"),
    path("plan/slots/<int:slot_id>/", views.plan_slot_move, name="slot_move"),
    path("plan/slots/<int:slot_id>/schedule/", views.plan_slot_schedule, name="slot_schedule"),
    path("register/", views.register, name="register"),
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/<int:appraisal_id>/", views.appraisal_detail, name="appraisal_detail"),
    path("rectifications/", assessment_views.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/",
        assessment_views.rectification_detail,
        name="rectification_detail",
    ),
    # The member's phone pages.
    path("m/", views.my_meetings, name="my_meetings"),
    path("m/history/", views.my_history, name="my_history"),
    path("m/code/", views.my_sign_in_code, name="my_code"),
    path("m/<int:meeting_id>/", views.my_meeting, name="my_meeting"),
    path("m/appraisals/<int:appraisal_id>/", views.my_appraisal, name="my_appraisal"),
]
