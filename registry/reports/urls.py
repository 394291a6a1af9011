"""Report pages and their CSV exports (mounted at /reports/)."""

from django.urls import path

from registry.reports import views

app_name = "reports"

urlpatterns = [
    path("access/", views.AccessReportView.as_view(), name="access"),
    path("access.csv", views.ReportCsvView.as_view(filename="access"), name="access_csv"),
    path("industrial-base/", views.IndustrialBaseReportView.as_view(), name="industrial_base"),
    path(
        "industrial-base.csv",
        views.ReportCsvView.as_view(filename="industrial-base"),
        name="industrial_base_csv",
    ),
    path("enforcement/", views.EnforcementReportView.as_view(), name="enforcement"),
    path(
        "enforcement.csv",
        views.ReportCsvView.as_view(filename="enforcement"),
        name="enforcement_csv",
    ),
    path(
        "technology-exposure/",
        views.TechnologyExposureReportView.as_view(),
        name="technology_exposure",
    ),
    path(
        "technology-exposure.csv",
        views.ReportCsvView.as_view(filename="technology-exposure"),
        name="technology_exposure_csv",
    ),
    path("case-act/", views.CaseActReportView.as_view(), name="case_act"),
    path("case-act.csv", views.CaseActCsvView.as_view(), name="case_act_csv"),
]
