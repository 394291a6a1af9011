"""Web pages of the conditions app; one path() per view."""

from django.urls import path

from conditions.views import conditions, flags, waivers

app_name = "conditions"

urlpatterns = [
    path("conditions/", conditions.ConditionListView.as_view(), name="condition_list"),
    path("conditions/new/", conditions.ConditionCreateView.as_view(), name="condition_create"),
    path("conditions/<int:pk>/", conditions.ConditionDetailView.as_view(), name="condition_detail"),
    path(
        "conditions/<int:pk>/edit/",
        conditions.ConditionUpdateView.as_view(),
        name="condition_update",
    ),
    path(
        "conditions/<int:condition_pk>/reviews/new/",
        conditions.ReviewCreateView.as_view(),
        name="review_create",
    ),
    path(
        "conditions/<int:condition_pk>/waivers/new/",
        conditions.WaiverCreateView.as_view(),
        name="waiver_create",
    ),
    path("waivers/", waivers.WaiverListView.as_view(), name="waiver_list"),
    path("waivers/export.csv", waivers.WaiverExportView.as_view(), name="waiver_export"),
    path("flags/", flags.FlagListView.as_view(), name="flag_list"),
    path(
        "flags/<int:pk>/acknowledge/",
        flags.FlagAcknowledgeView.as_view(),
        name="flag_acknowledge",
    ),
    path("flags/<int:pk>/resolve/", flags.FlagResolveView.as_view(), name="flag_resolve"),
    path("flags/<int:pk>/reopen/", flags.FlagReopenView.as_view(), name="flag_reopen"),
]
