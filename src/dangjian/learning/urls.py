from django.urls import path

from dangjian.learning import exam_phone, exam_views, phone, views
from dangjian.learning import training_views as tv

app_name = "learning"
urlpatterns = [
    path("", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/publish/", views.course_publish, name="course_publish"),
    path("lessons/<int:lesson_id>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:lesson_id>/delete/", views.lesson_delete, name="lesson_delete"),
    path("lessons/<int:lesson_id>/media/", views.media, name="media"),
    path("hours/", views.hours, name="hours"),
    path("m/", phone.my_courses, name="my_courses"),
    path("m/courses/<int:course_id>/", phone.my_course, name="my_course"),
    path("m/lessons/<int:lesson_id>/", phone.study, name="study"),
    path("m/hours/", phone.my_hours, name="my_hours"),
    # Question banks, exams and points (exam_views, exam_phone).
    path("banks/", exam_views.banks, name="banks"),
    path("banks/<int:bank_id>/", exam_views.bank, name="bank"),
    path("exams/", exam_views.exams, name="exams"),
    path("exams/new/", exam_views.exam_new, name="exam_new"),
    path("exams/<int:exam_id>/", exam_views.exam, name="exam"),
    path("exams/<int:exam_id>/edit/", exam_views.exam_edit, name="exam_edit"),
    path("exams/<int:exam_id>/remove/", exam_views.exam_paper_remove, name="exam_paper_remove"),
    path("exams/<int:exam_id>/publish/", exam_views.exam_publish, name="exam_publish"),
    path("exams/<int:exam_id>/results/", exam_views.exam_results, name="exam_results"),
    path("points/", exam_views.org_points, name="points"),
    path("m/exams/", exam_phone.my_exams, name="my_exams"),
    path("m/exams/<int:exam_id>/", exam_phone.my_exam, name="my_exam"),
    path("m/attempts/<int:attempt_id>/", exam_phone.take, name="take"),
    path("m/points/", exam_phone.my_points, name="my_points"),
    # Training classes and outside records (training_views)
    path("trainings/", tv.trainings, name="trainings"),
    path("trainings/new/", tv.training_new, name="training_new"),
    path("trainings/<int:training_id>/", tv.training, name="training"),
    path("trainings/<int:training_id>/notice/", tv.training_notice, name="training_notice"),
    path("trainings/<int:training_id>/cancel/", tv.training_cancel, name="training_cancel"),
    path(
        "trainings/<int:training_id>/attendance/",
        tv.training_attendance,
        name="training_attendance",
    ),
    path("trainings/<int:training_id>/sessions/", tv.session_add, name="session_add"),
    path(
        "trainings/<int:training_id>/sessions/<int:training_session_id>/",
        tv.session_roll,
        name="session_roll",
    ),
    path(
        "trainings/<int:training_id>/sessions/<int:training_session_id>/remove/",
        tv.session_remove,
        name="session_remove",
    ),
    path("trainings/<int:training_id>/materials/", tv.training_material, name="training_material"),
    path("trainings/<int:training_id>/sheet/", tv.training_sheet, name="training_sheet"),
    path("trainings/<int:training_id>/screen/", tv.training_screen, name="training_screen"),
    path("materials/<int:training_material_id>/", tv.material_file, name="material"),
    path("records/", tv.records, name="records"),
    path("records/<int:record_id>/decide/", tv.record_decide, name="record_decide"),
    path("records/<int:record_id>/evidence/", tv.record_evidence, name="record_evidence"),
    path("members/<int:member_id>/certificate/", tv.certificate, name="certificate"),
    path("m/trainings/", tv.my_trainings, name="my_trainings"),
    path("m/trainings/<int:training_id>/sign-in/", tv.my_sign_in, name="my_sign_in"),
    path("m/records/", tv.my_records, name="my_records"),
]
