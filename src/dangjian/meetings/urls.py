from django.urls import path
from django.views.generic import RedirectView

from dangjian.meetings.views import annual, meetings, phone


def _moved(name: str):
    # Rectification pages moved to /assessment/; links already sent in notices keep working.
    return RedirectView.as_view(
        pattern_name=f"assessment:{name}", permanent=True, query_string=True
    )


app_name = "meetings"
urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("rectifications/", _moved("rectifications")),
    path("rectifications/<int:rectification_id>/", _moved("rectification_detail")),
    path("new/", meetings.meeting_create, name="create"),
    path("<int:meeting_id>/", meetings.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", meetings.meeting_edit, name="edit"),
    path("<int:meeting_id>/record/", meetings.meeting_record, name="record"),
    path("<int:meeting_id>/print/", meetings.meeting_print, name="print"),
    path("<int:meeting_id>/notice/", meetings.meeting_notice, name="notice"),
    path("<int:meeting_id>/cancel/", meetings.meeting_cancel, name="cancel"),
    path("<int:meeting_id>/attendance/", meetings.attendance_mark, name="attendance"),
    path("<int:meeting_id>/leave-decision/", meetings.leave_decision, name="leave_decision"),
    path("<int:meeting_id>/votes/", meetings.vote_create, name="votes"),
    path("<int:meeting_id>/attachments/", meetings.attachment_add, name="attachments"),
    path(
        "<int:meeting_id>/attachments/<int:attachment_id>/",
        meetings.attachment_file,
        name="attachment",
    ),
    path("<int:meeting_id>/criticisms/", meetings.criticism_add, name="criticisms"),
    path("<int:meeting_id>/screen/", meetings.sign_in_screen, name="screen"),
    path("criticisms/<int:criticism_id>/rectify/", meetings.criticism_rectify, name="rectify"),
    path("plan/", annual.plan, name="plan"),
    path("plan/slots/<int:slot_id>/", annual.plan_slot_move, name="slot_move"),
    path("plan/slots/<int:slot_id>/schedule/", annual.plan_slot_schedule, name="slot_schedule"),
    path("register/", annual.register, name="register"),
    path("appraisals/", annual.appraisal_list, name="appraisals"),
    path("appraisals/<int:appraisal_id>/", annual.appraisal_detail, name="appraisal_detail"),
    # The member's phone pages.
    path("m/", phone.my_meetings, name="my_meetings"),
    path("m/history/", phone.my_history, name="my_history"),
    path("m/code/", phone.my_sign_in_code, name="my_code"),
    path("m/<int:meeting_id>/", phone.my_meeting, name="my_meeting"),
    path("m/appraisals/<int:appraisal_id>/", phone.my_appraisal, name="my_appraisal"),
]
