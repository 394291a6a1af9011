"""Web pages of the conditions app; one path() per view."""

from django.urls import path  # noqa: F401

app_name = "conditions"

urlpatterns: list = []
