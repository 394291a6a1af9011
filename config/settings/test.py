"""Test settings: same database rule as local (DATABASE_URL or the embedded server)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Throttles stay on but out of the way of other tests; tests/security narrows them.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "address": "100000/minute"},
}

# The owner creates and migrates the test database; tests/conftest.py then connects the
# default alias as the runtime role for the tests themselves (docs/decisions/0017).
DATABASE_RUNTIME = DATABASES["default"]  # noqa: F405
DATABASES = {"default": DATABASES.get("owner", DATABASE_RUNTIME)}  # noqa: F405
# Query-count guards count every statement of a request; the database cache would add the
# throttles' own. tests/security/test_throttling.py runs them on the database cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {
        "BACKEND": "core.caching.RegistryDatabaseCache",
        "LOCATION": "registry_cache",
    },
}
# The tests' webhook receivers listen on 127.0.0.1 over http (registry/webhooks/targets.py).
WEBHOOK_ALLOW_LOOPBACK = True
