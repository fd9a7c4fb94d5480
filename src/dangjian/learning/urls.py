from django.urls import path

from dangjian.learning import phone, views

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
]
