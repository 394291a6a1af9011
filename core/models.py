"""core's one table: which account an agency sign-in (issuer, subject) belongs to."""

from core.auth.models import ExternalIdentity

__all__ = ["ExternalIdentity"]
