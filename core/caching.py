"""The shared cache's table: `migrate` creates it, so no operator step can be forgotten.

The throttle counters live in the default cache (docs/decisions/0018). Without CACHE_URL that
is Django's database cache, shared by every gunicorn worker and server; its table is not a
model, so `createcachetable` runs after every `migrate` (it does nothing when the table is
there, or when the cache is Redis). The table is UNLOGGED: a counter is not worth a WAL
flush on every API request (4 ms of a request's 20 under load, 0.5 ms without), and after a
crash PostgreSQL empties it, which for a cache is a fresh start (docs/decisions/0032).
"""

import base64
import datetime
import pickle  # noqa: S403 # nosec B403 (the values Django's database cache stores)
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, router
from django.utils import timezone


def create_cache_tables(sender, using, verbosity=1, **kwargs) -> None:
    """post_migrate receiver: `createcachetable` on the database just migrated, and each
    database cache table of that database made UNLOGGED."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
    connection = connections[using]
    for alias, params in settings.CACHES.items():
        cache = caches[alias]
        if isinstance(cache, DatabaseCache) and router.allow_migrate_model(
            using, cache.cache_model_class
        ):
            table = connection.ops.quote_name(params["LOCATION"])
            with connection.cursor() as cursor:
                # Only when it is not yet: a test's flush sends post_migrate as the runtime
                # role, which may not alter the owner's table.
                cursor.execute(
                    "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass", [table]
                )
                if cursor.fetchone() != ("u",):
                    cursor.execute(f"ALTER TABLE {table} SET UNLOGGED")  # nosec B608 (a setting)


class RegistryDatabaseCache(DatabaseCache):
    """Django's database cache, with set() and set_many() as one PostgreSQL upsert.

    Django's own set() counts the whole table, then selects, then updates or inserts: five
    statements for every throttle counter written on every API request. Here a set is one
    INSERT ... ON CONFLICT (every key of a set_many in the one statement), and the table is
    counted (and culled past MAX_ENTRIES) on about one set in CULL_EVERY. get(), add(),
    touch() and the rest are Django's.
    """

    CULL_EVERY = 100

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Every key in one INSERT ... ON CONFLICT (the throttle writes two per request)."""
        if not data:
            return []
        timeout = self.get_backend_timeout(timeout)
        expires = (
            datetime.datetime.max
            if timeout is None
            else datetime.datetime.fromtimestamp(timeout, tz=datetime.UTC)
        ).replace(microsecond=0)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        expires = connection.ops.adapt_datetimefield_value(expires)
        params = []
        for key, value in data.items():
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            params += [self.make_and_validate_key(key, version=version), encoded, expires]
        table = connection.ops.quote_name(self._table)
        rows = ", ".join(["(%s, %s, %s)"] * len(data))
        with connection.cursor() as cursor:
            self._cull_now_and_then(db, cursor, table)
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES {rows} "  # noqa: S608 # nosec B608
                "ON CONFLICT (cache_key) "
                "DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                params,
            )
        return []

    def _cull_now_and_then(self, db, cursor, table) -> None:
        if secrets.randbelow(self.CULL_EVERY) == 0:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 # nosec B608
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, timezone.now().replace(microsecond=0), count)

    def add_to_counters(self, counted, read=(), *, timeout, delta=1) -> dict[str, int]:
        """Add `delta` to each counter of `counted` and read those of `read`, in one statement.

        Each addition is one INSERT ... ON CONFLICT DO UPDATE: PostgreSQL locks the row, so
        concurrent requests each get their own total (issue 25). A counter is stored as its
        decimal digits, not pickled; an expired or non-numeric value counts from 0. Read
        these keys only through this method.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        expires = connection.ops.adapt_datetimefield_value(
            (timezone.now() + datetime.timedelta(seconds=timeout)).replace(microsecond=0)
        )
        made = {self.make_and_validate_key(key): key for key in [*counted, *read]}
        table = connection.ops.quote_name(self._table)
        params = []
        for key in counted:
            params += [self.make_and_validate_key(key), str(delta), expires]
        # Constant SQL but for the table's name (a setting); keys and values are parameters.
        selects = []
        if counted:
            rows = ", ".join(["(%s, %s, %s)"] * len(counted))
            sql = (
                f"WITH counted AS (INSERT INTO {table} AS c (cache_key, value, expires) "  # noqa: S608 # nosec B608
                f"VALUES {rows} ON CONFLICT (cache_key) DO UPDATE SET value = ("
                "CASE WHEN c.expires < NOW() OR c.value !~ '^-?[0-9]{1,18}$' THEN 0 ELSE "
                "c.value::bigint END + EXCLUDED.value::bigint)::text, expires = EXCLUDED.expires "
                "RETURNING cache_key, value::bigint) "
            )
            selects.append("SELECT cache_key, value FROM counted")
        else:
            sql = ""
        if read:
            selects.append(
                f"SELECT cache_key, value::bigint FROM {table}"  # noqa: S608 # nosec B608
                f" WHERE cache_key IN ({', '.join(['%s'] * len(read))}) AND expires >= NOW()"
                " AND value ~ '^-?[0-9]{1,18}$'"
            )
            params += [self.make_and_validate_key(key) for key in read]
        sql += " UNION ALL ".join(selects)
        with connection.cursor() as cursor:
            self._cull_now_and_then(db, cursor, table)
            cursor.execute(sql, params)
            return {made[key]: value for key, value in cursor.fetchall()}


def add_to_counters(cache, counted, read=(), *, timeout, delta=1) -> dict[str, int]:
    """Add `delta` to each counter of `counted` and read those of `read`, atomically on every
    backend: one upsert on the database cache; on Redis, INCRBY; in memory, under its lock."""
    if isinstance(cache, RegistryDatabaseCache):
        return cache.add_to_counters(counted, read, timeout=timeout, delta=delta)
    counts = {}
    for key in counted:
        cache.add(key, 0, timeout)  # SET NX with the expiry: the counter exists from here
        try:
            counts[key] = cache.incr(key, delta)
        except ValueError:  # expired between the two: start again
            cache.add(key, delta, timeout)
            counts[key] = delta
    counts.update(cache.get_many(list(read)))
    return counts
