"""Web pages of the partners app; one path() per view."""

from django.urls import path  # noqa: F401

app_name = "partners"

urlpatterns: list = []
