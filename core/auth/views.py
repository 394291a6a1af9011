"""Agency sign-in and sign-out pages: the start of the flow, the callback, RP-initiated logout.

The system-use notice (core/web/signin.py) is accepted before the provider is asked; a
provider that does not answer gets a page that says so (503), never a server error, and a
refused sign-in (bad state, nonce, signature, expired token) a plain 403 page.
"""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from core.auth.provider import (
    ProviderUnavailable,
    cached_metadata,
    oidc_enabled,
    provider_metadata,
)
from core.web.signin import NOTICE_ACCEPTED

log = logging.getLogger(__name__)

SIGN_IN_METHOD = "registry_sign_in_method"  # "agency" for the provider, else a password
AGENCY = "agency"


def provider_unavailable(request):
    """The provider did not answer: say so, and point at local sign-in when there is one."""
    context = {"provider_name": settings.OIDC_PROVIDER_NAME, "local_login": settings.LOCAL_LOGIN}
    response = render(request, "registration/agency_unavailable.html", context, status=503)
    response["Retry-After"] = "30"
    return response


def sign_in_refused(request):
    context = {"provider_name": settings.OIDC_PROVIDER_NAME, "local_login": settings.LOCAL_LOGIN}
    return render(request, "registration/agency_refused.html", context, status=403)


class AgencySignInView(OIDCAuthenticationRequestView):
    """POST from the sign-in page (with the notice's acceptance) sends the browser to the
    provider's authorization endpoint: code flow, state, nonce and PKCE (S256)."""

    http_method_names = ["get", "post"]

    def __init__(self, *args, **kwargs):
        # The parent reads fixed endpoints from settings; ours are discovered in get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def post(self, request):
        if not request.session.get(NOTICE_ACCEPTED):
            if request.POST.get("accept_notice") != "on":
                return redirect(f"{reverse('login')}?notice=required")
            request.session[NOTICE_ACCEPTED] = timezone.now().isoformat()
        return self.get(request)

    def get(self, request):
        if not oidc_enabled():
            raise Http404("Agency sign-in is not configured.")
        if not request.session.get(NOTICE_ACCEPTED):
            return redirect("login")  # nobody reaches the provider before the notice
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata().authorization_endpoint
        except ProviderUnavailable:
            return provider_unavailable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)  # `next` comes in the query string


class AgencyCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: state checked here, the rest in the backend."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404("Agency sign-in is not configured.")
        try:
            return super().get(request)
        except ProviderUnavailable:
            return provider_unavailable(request)
        except requests.HTTPError as error:  # the provider answered, and refused the code
            log.warning("agency sign-in refused by the provider: %s", error)
            return sign_in_refused(request)
        except requests.RequestException as error:
            log.warning("agency sign-in: provider unavailable: %s", error)
            return provider_unavailable(request)
        except SuspiciousOperation as error:
            log.warning("agency sign-in refused: %s", error)
            return sign_in_refused(request)

    def login_failure(self):
        return sign_in_refused(self.request)

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGN_IN_METHOD] = AGENCY
        return response


class SignOutView(auth_views.LogoutView):
    """Ends the session here and, after an agency sign-in, at the provider too when it
    advertises `end_session_endpoint` (RP-initiated logout with `id_token_hint`)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        end_session = provider_logout_url(request, id_token) if id_token else None
        return HttpResponseRedirect(end_session) if end_session else response


def provider_logout_url(request, id_token: str) -> str | None:
    """The provider's end-session address for this sign-out, or None (never waits on it)."""
    if not oidc_enabled():
        return None
    metadata = cached_metadata()  # a provider that is down must not hold up a sign-out
    if metadata is None or not metadata.end_session_endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    separator = "&" if "?" in metadata.end_session_endpoint else "?"
    return f"{metadata.end_session_endpoint}{separator}{query}"
