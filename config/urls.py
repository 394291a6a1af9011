"""Top-level routes: sign-in, each app's pages, the admin, the API and its documentation."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.auth import views as sign_in_views
from core.auth.second_factor import SecondFactorView
from core.web.signin import SignInView
from registry.dashboard import DashboardView

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", sign_in_views.SignOutView.as_view(), name="logout"),
    # Agency sign-in (OpenID Connect) and passkeys (docs/decisions/0027).
    path("accounts/agency/", sign_in_views.AgencySignInView.as_view(), name="agency_sign_in"),
    path(
        "accounts/agency/callback/",
        sign_in_views.AgencyCallbackView.as_view(),
        name="oidc_authentication_callback",  # the name mozilla-django-oidc reverses
    ),
    path("accounts/second-factor/", SecondFactorView.as_view(), name="second_factor"),
    path("accounts/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("history/", include("core.history.urls")),
    path("reports/", include("registry.reports.urls")),
    path("import/", include("registry.importing.urls")),
    path("", DashboardView.as_view(), name="dashboard"),
    path("", include("conditions.urls")),
    path("", include("agreements.urls")),
    path("", include("safeguards.urls")),
    path("", include("partners.urls")),
    path("", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# A database outage outside a view answers 503, not 500 (core/security.py).
handler500 = "core.security.server_error"
