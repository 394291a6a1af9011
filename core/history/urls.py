"""Change-history pages (who changed what, when, through which channel)."""

from django.urls import path

from core.history.views import ChangeLogView, ObjectHistoryView

app_name = "history"

urlpatterns = [
    path("", ChangeLogView.as_view(), name="changes"),
    path("<str:model>/<int:pk>/", ObjectHistoryView.as_view(), name="object"),
]
