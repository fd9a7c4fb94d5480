from django.urls import path

from dangjian.learning import exam_phone, exam_views, phone, views

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
    path("exams/<int:exam_id>/publish/", exam_views.exam_publish, name="exam_publish"),
    path("exams/<int:exam_id>/results/", exam_views.exam_results, name="exam_results"),
    path("points/", exam_views.org_points, name="points"),
    path("m/exams/", exam_phone.my_exams, name="my_exams"),
    path("m/exams/<int:exam_id>/", exam_phone.my_exam, name="my_exam"),
    path("m/attempts/<int:attempt_id>/", exam_phone.take, name="take"),
    path("m/points/", exam_phone.my_points, name="my_points"),
]
