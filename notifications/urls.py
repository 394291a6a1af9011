"""Web pages of the notifications app; one path() per view."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path(
        "notifications/",
        views.NotificationListView.as_view(),
        name="congressional_notification_list",
    ),
    path(
        "notifications/new/",
        views.NotificationCreateView.as_view(),
        name="congressional_notification_create",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotificationDetailView.as_view(),
        name="congressional_notification_detail",
    ),
    path(
        "notifications/<int:pk>/edit/",
        views.NotificationUpdateView.as_view(),
        name="congressional_notification_update",
    ),
]
