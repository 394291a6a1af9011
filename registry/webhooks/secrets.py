"""Webhook signing secrets: made here, shown once, stored encrypted (docs/decisions/0021).

Signing needs the secret itself (HMAC), so it cannot be stored hashed: it is encrypted with
Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under WEBHOOK_ENCRYPTION_KEYS,
a comma-separated list whose first key encrypts and every key decrypts (so the encryption
key can be rotated too). Without it, a key is derived from SECRET_KEY.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

# The Standard Webhooks format: whsec_ + base64 of random bytes (a prefix, not a secret).
SECRET_PREFIX = "whsec_"  # noqa: S105


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in getattr(settings, "WEBHOOK_ENCRYPTION_KEYS", []) if k.strip()]
    if not keys:
        digest = hashlib.sha256(b"registry-webhook-secrets:" + settings.SECRET_KEY.encode())
        keys = [base64.urlsafe_b64encode(digest.digest()).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
