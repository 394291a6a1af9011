"""The link between an agency sign-in and a registry account."""

from django.conf import settings
from django.db import models


class ExternalIdentity(models.Model):
    """One account's identity at an OpenID provider: the issuer and its stable `sub`.

    Accounts are found by this pair, never by e-mail address or name: both can be reused
    or changed at the provider, the subject cannot.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = "agency sign-in identity"
        verbose_name_plural = "agency sign-in identities"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="core_externalidentity_issuer_subject"
            ),
            models.CheckConstraint(
                condition=~models.Q(subject="") & ~models.Q(issuer=""),
                name="core_externalidentity_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
