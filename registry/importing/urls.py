"""The bulk-import upload (mounted at /import/)."""

from django.urls import path

from registry.importing import job_views, views

app_name = "imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("commit/", views.ImportCommitView.as_view(), name="commit"),
    path("jobs/<int:pk>/", job_views.ImportJobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", job_views.ImportJobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/save/", job_views.ImportJobSaveView.as_view(), name="job_save"),
]
