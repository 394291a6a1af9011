"""A passkey as a second factor for local accounts (django-otp with django-otp-webauthn).

REQUIRE_SECOND_FACTOR_FOR names the roles (e.g. editor, admin) whose password sign-ins must
be followed by a verified passkey before any page: the user is sent to register one if they
have none, or to use one. Agency sign-ins are left to the provider's own factors.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from django_otp_webauthn.utils import get_credential_model

from core.auth.views import AGENCY, SIGN_IN_METHOD
from core.roles import role_of
from core.web.access import ReaderRequiredMixin

# Where a user who still owes the second factor may go: the passkey page and its endpoints,
# signing in and out.
OPEN_PREFIXES = ("/accounts/second-factor/", "/accounts/passkeys/", "/accounts/log")


def second_factor_owed(request) -> bool:
    """Signed in with a password, in a role that needs a second factor, not yet verified."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if request.session.get(SIGN_IN_METHOD) == AGENCY:
        return False
    if role_of(user) not in settings.REQUIRE_SECOND_FACTOR_FOR:
        return False
    return not user.is_verified()


class SecondFactorMiddleware:
    """Sends a user who owes the second factor to the passkey page before any other page.

    Runs after django-otp's OTPMiddleware (which gives request.user its is_verified()).
    API calls with a token are not affected: token authentication happens later, in DRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and second_factor_owed(request):
            if request.path.startswith("/api/"):
                detail = "Verify your passkey on the registry's second-factor page first."
                return JsonResponse({"detail": detail}, status=403)
            target = quote(request.get_full_path(), safe="/")
            return redirect(f"{reverse('second_factor')}?next={target}")
        return self.get_response(request)


class SecondFactorView(ReaderRequiredMixin, TemplateView):
    """Register a passkey (none yet, or another one), or verify with one to go on."""

    template_name = "registration/second_factor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        credentials = get_credential_model().objects.filter(user=user, confirmed=True)
        has_passkey = credentials.exists()
        context.update(
            has_passkey=has_passkey,
            passkey_count=credentials.count(),
            verify=has_passkey and not user.is_verified(),
            owed=second_factor_owed(self.request),
            next=self.safe_next(),
        )
        return context

    def safe_next(self) -> str:
        wanted = self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=False
        )
        return wanted if safe and wanted else reverse(settings.LOGIN_REDIRECT_URL)
