"""The bulk-import upload (mounted at /import/)."""

from django.urls import path

from registry.importing import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("commit/", views.ImportCommitView.as_view(), name="commit"),
]
