"""Top-level routes: sign-in, each app's pages, the admin, the API and its documentation."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.web.signin import SignInView
from registry.dashboard import DashboardView

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("history/", include("core.history.urls")),
    path("reports/", include("registry.reports.urls")),
    path("import/", include("registry.importing.urls")),
    path("", DashboardView.as_view(), name="dashboard"),
    path("", include("conditions.urls")),
    path("", include("agreements.urls")),
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# A database outage outside a view answers 503, not 500 (core/security.py).
handler500 = "core.security.server_error"
