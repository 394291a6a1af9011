"""The shared cache's table: `migrate` creates it, so no operator step can be forgotten.

The throttle counters live in the default cache (docs/decisions/0018). Without CACHE_URL that
is Django's database cache, shared by every gunicorn worker and server; its table is not a
model, so `createcachetable` runs after every `migrate` (it does nothing when the table is
there, or when the cache is Redis).
"""

from django.core.management import call_command


def create_cache_tables(sender, using, verbosity=1, **kwargs) -> None:
    """post_migrate receiver: `createcachetable` on the database just migrated."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
