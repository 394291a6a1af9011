"""Web pages of the safeguards app; one path() per view."""

from django.urls import path

from safeguards import views

app_name = "safeguards"

urlpatterns = [
    path("technology-items/", views.TechnologyItemListView.as_view(), name="technology_item_list"),
    path(
        "technology-items/new/",
        views.TechnologyItemCreateView.as_view(),
        name="technology_item_create",
    ),
    path(
        "technology-items/<int:pk>/",
        views.TechnologyItemDetailView.as_view(),
        name="technology_item_detail",
    ),
    path(
        "technology-items/<int:pk>/edit/",
        views.TechnologyItemUpdateView.as_view(),
        name="technology_item_update",
    ),
    path(
        "release-decisions/", views.ReleaseDecisionListView.as_view(), name="release_decision_list"
    ),
    path(
        "release-decisions/new/",
        views.ReleaseDecisionCreateView.as_view(),
        name="release_decision_create",
    ),
    path(
        "release-decisions/<int:pk>/",
        views.ReleaseDecisionDetailView.as_view(),
        name="release_decision_detail",
    ),
    path(
        "release-decisions/<int:pk>/edit/",
        views.ReleaseDecisionUpdateView.as_view(),
        name="release_decision_update",
    ),
    path("end-use-checks/", views.EndUseCheckListView.as_view(), name="end_use_check_list"),
    path("end-use-checks/new/", views.EndUseCheckCreateView.as_view(), name="end_use_check_create"),
    path(
        "end-use-checks/<int:pk>/",
        views.EndUseCheckDetailView.as_view(),
        name="end_use_check_detail",
    ),
    path(
        "end-use-checks/<int:pk>/edit/",
        views.EndUseCheckUpdateView.as_view(),
        name="end_use_check_update",
    ),
    path("transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("transfers/new/", views.TransferCreateView.as_view(), name="transfer_create"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/edit/", views.TransferUpdateView.as_view(), name="transfer_update"),
    path("violations/", views.ViolationListView.as_view(), name="violation_list"),
    path("violations/new/", views.ViolationCreateView.as_view(), name="violation_create"),
    path("violations/<int:pk>/", views.ViolationDetailView.as_view(), name="violation_detail"),
    path("violations/<int:pk>/edit/", views.ViolationUpdateView.as_view(), name="violation_update"),
]
