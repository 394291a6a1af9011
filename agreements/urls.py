"""Web pages of the agreements app; one path() per view."""

from django.urls import path  # noqa: F401

app_name = "agreements"

urlpatterns: list = []
