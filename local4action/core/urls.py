from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("floor/", views.floor, name="floor"),
    path("sdg/", views.goal_list, name="goals"),
    path("sdg/<int:number>/", views.goal_detail, name="goal"),
    path("sdg/target/<str:code>/", views.target_detail, name="target"),
    path("privacy/", views.privacy, name="privacy"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read"),
]
