"""Sign-in behind the system-use notice (NIST SP 800-53 AC-8, docs/decisions/0019).

The notice is shown before anyone signs in and must be accepted, once per browser session:
the acceptance is kept in the session (which signing in keeps and signing out ends), so a
mistyped password does not ask again. Nobody is authenticated before the notice is accepted.
The same page offers agency sign-in (core/auth/views.py) when a provider is configured;
LOCAL_LOGIN=false takes the password form away and refuses its POST (docs/decisions/0027).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.auth.provider import oidc_enabled

NOTICE_ACCEPTED = "system_use_notice_accepted_at"
NOT_ACCEPTED = "Accept the system-use notice to sign in."
# What a ticked checkbox sends (a browser sends "on"): nothing else counts as accepting, so
# `accept_notice=off`, `0` or `false` is not an acceptance (issue 25).
ACCEPTANCE_VALUES = ("on", "true")


def notice_accepted_in(data) -> bool:
    """Whether the submitted form explicitly accepts the notice."""
    return str(data.get("accept_notice", "")).strip().lower() in ACCEPTANCE_VALUES


class SignInForm(AuthenticationForm):
    """Username and password, and the notice's acceptance unless this session gave it."""

    accept_notice = forms.BooleanField(
        required=False, label="I have read and accept the system-use notice above."
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.notice_accepted = bool(request and request.session.get(NOTICE_ACCEPTED))
        if self.notice_accepted:
            del self.fields["accept_notice"]

    def clean(self):
        if not self.notice_accepted:
            if not notice_accepted_in(self.data):
                # No authentication attempt at all until the notice is accepted.
                self.add_error("accept_notice", NOT_ACCEPTED)
                return self.cleaned_data
            self.request.session[NOTICE_ACCEPTED] = timezone.now().isoformat()
            self.notice_accepted = True
        return super().clean()


class SignInView(auth_views.LoginView):
    """Django's sign-in page with the system-use notice in front of it."""

    form_class = SignInForm

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise PermissionDenied("Local sign-in is turned off: use agency sign-in.")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["system_use_notice"] = settings.SYSTEM_USE_NOTICE
        context["notice_accepted"] = bool(self.request.session.get(NOTICE_ACCEPTED))
        context["local_login"] = settings.LOCAL_LOGIN
        context["agency_sign_in"] = oidc_enabled()
        context["provider_name"] = settings.OIDC_PROVIDER_NAME
        # Agency sign-in was asked for without the notice's acceptance (core/auth/views.py).
        context["notice_required"] = self.request.GET.get("notice") == "required"
        return context
