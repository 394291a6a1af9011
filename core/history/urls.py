"""Change-history pages (who changed what, when, through which channel)."""

from django.urls import path

from core.history.views import ChangeLogCsvView, ChangeLogView, ObjectHistoryView

app_name = "history"

urlpatterns = [
    path("", ChangeLogView.as_view(), name="changes"),
    path("changes.csv", ChangeLogCsvView.as_view(), name="changes_csv"),
    path("<str:model>/<int:pk>/", ObjectHistoryView.as_view(), name="object"),
]
