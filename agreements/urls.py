"""Web pages of the agreements app; one path() per view."""

from django.urls import path

from agreements import technology_views, views

app_name = "agreements"

urlpatterns = [
    path("acts/", views.ActListView.as_view(), name="act_list"),
    path("acts/new/", views.ActCreateView.as_view(), name="act_create"),
    path("acts/<int:pk>/", views.ActDetailView.as_view(), name="act_detail"),
    path("acts/<int:pk>/edit/", views.ActUpdateView.as_view(), name="act_update"),
    path("provisions/", views.ProvisionListView.as_view(), name="provision_list"),
    path("provisions/new/", views.ProvisionCreateView.as_view(), name="provision_create"),
    path("provisions/<int:pk>/", views.ProvisionDetailView.as_view(), name="provision_detail"),
    path("provisions/<int:pk>/edit/", views.ProvisionUpdateView.as_view(), name="provision_update"),
    path(
        "technology-areas/",
        technology_views.TechnologyAreaListView.as_view(),
        name="technology_area_list",
    ),
    path(
        "technology-areas/new/",
        technology_views.TechnologyAreaCreateView.as_view(),
        name="technology_area_create",
    ),
    path(
        "technology-areas/<int:pk>/",
        technology_views.TechnologyAreaDetailView.as_view(),
        name="technology_area_detail",
    ),
    path(
        "technology-areas/<int:pk>/edit/",
        technology_views.TechnologyAreaUpdateView.as_view(),
        name="technology_area_update",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
]
