from django.urls import path

from dangjian.work import phone, views

app_name = "work"
urlpatterns = [
    path("", views.initiatives, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:initiative_id>/", views.initiative, name="initiative"),
    path(
        "initiatives/<int:initiative_id>/advance/",
        views.initiative_advance,
        name="initiative_advance",
    ),
    path("initiatives/<int:initiative_id>/tasks/", views.initiative_task, name="initiative_task"),
    path(
        "initiatives/<int:initiative_id>/attachments/",
        views.initiative_attach,
        name="initiative_attach",
    ),
    path(
        "initiatives/<int:initiative_id>/attachments/<int:initiative_attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/publish/", views.plan_publish, name="plan_publish"),
    path("items/<int:item_id>/feedback/<int:org_id>/", views.feedback, name="feedback"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("pledges/new/", views.pledge_new, name="pledge_new"),
    path("pledges/<int:pledge_id>/fulfil/", views.pledge_fulfil, name="pledge_fulfil"),
    path("m/tasks/", phone.my_tasks, name="my_tasks"),
    path("m/tasks/<int:task_id>/", phone.my_task, name="my_task"),
    path("m/", phone.mine, name="mine"),
]
