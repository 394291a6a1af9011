"""The shared cache's table: `migrate` creates it, so no operator step can be forgotten.

The throttle counters live in the default cache (docs/decisions/0018). Without CACHE_URL that
is Django's database cache, shared by every gunicorn worker and server; its table is not a
model, so `createcachetable` runs after every `migrate` (it does nothing when the table is
there, or when the cache is Redis).
"""

import base64
import datetime
import pickle  # noqa: S403 # nosec B403 (the values Django's database cache stores)
import secrets

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, router
from django.utils import timezone


def create_cache_tables(sender, using, verbosity=1, **kwargs) -> None:
    """post_migrate receiver: `createcachetable` on the database just migrated."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class RegistryDatabaseCache(DatabaseCache):
    """Django's database cache, with set() as one PostgreSQL upsert.

    Django's own set() counts the whole table, then selects, then updates or inserts: five
    statements for every throttle counter written on every API request. Here a set is one
    INSERT ... ON CONFLICT, and the table is counted (and culled past MAX_ENTRIES) on about
    one set in CULL_EVERY. get(), add(), touch() and the rest are Django's.
    """

    CULL_EVERY = 100

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        expires = (
            datetime.datetime.max
            if timeout is None
            else datetime.datetime.fromtimestamp(timeout, tz=datetime.UTC)
        ).replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            if secrets.randbelow(self.CULL_EVERY) == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 # nosec B608
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, timezone.now().replace(microsecond=0), count)
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608 # nosec B608
                "ON CONFLICT (cache_key) "
                "DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [key, encoded, connection.ops.adapt_datetimefield_value(expires)],
            )
