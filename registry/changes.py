"""The change feed: every change to every record, in commit order (docs/decisions/0020).

A trigger on each history (`*event`) table writes one `registry_change` row per history row,
in the same transaction, with the writing transaction's id. At commit, a deferred trigger
gives the transaction its feed position (`registry_feedcommit.id`, from a sequence) while it
holds a shared advisory lock until the commit is done. A reader first takes that lock
exclusively for an instant (so every transaction that drew a position has finished), reads
the last position drawn, and then lists changes up to it, ordered by (position, change id).
So a change that commits late gets a later position and can never land behind a cursor
already handed out, which a plain autoincrement read at insert time would allow.
"""

import dataclasses
import datetime
import re

from django.apps import apps
from django.db import connection, connections

from registry.feed_markings import hidden_change_sql
from registry.models import RESOURCES

# Columns that say nothing about what changed.
IGNORED_COLUMNS = ("id", "created_at", "updated_at", "version")


@dataclasses.dataclass(frozen=True)
class FeedSource:
    """How one tracked model's history rows become changes of a resource.

    A row that belongs to another record (an agreement's participants, a partner's
    designations) is an `updated` change of that record, naming the list that changed.
    `parents` lists (column, resource) pairs; the first column that is set wins.
    """

    resource: str = ""
    parents: tuple[tuple[str, str], ...] = ()
    field: str = ""
    record: bool = False  # written once (ledger entries, reviews): `recorded`


FEED_SOURCES = {
    "partners.Partner": FeedSource("partners"),
    "partners.PartnerDesignation": FeedSource(
        parents=(("partner_id", "partners"),), field="designations"
    ),
    "agreements.Act": FeedSource("acts"),
    "agreements.Provision": FeedSource("provisions"),
    "agreements.TechnologyArea": FeedSource("technology-areas"),
    "agreements.Agreement": FeedSource("agreements"),
    "agreements.AgreementTechnologyArea": FeedSource(
        parents=(("agreement_id", "agreements"),), field="technology_areas"
    ),
    "agreements.AgreementParticipant": FeedSource(
        parents=(("agreement_id", "agreements"),), field="participants"
    ),
    "agreements.LegalBasis": FeedSource(
        parents=(("agreement_id", "agreements"),), field="legal_bases"
    ),
    "agreements.IndustrialParticipant": FeedSource(
        parents=(("agreement_id", "agreements"),), field="industrial_participants"
    ),
    "conditions.Condition": FeedSource("conditions"),
    "conditions.ConditionRequirement": FeedSource(
        parents=(("condition_id", "conditions"),), field="requirements"
    ),
    "conditions.ConditionReview": FeedSource("reviews", record=True),
    "conditions.WaiverEntry": FeedSource("waivers", record=True),
    "conditions.SourceDocument": FeedSource(
        parents=(
            ("review_id", "reviews"),
            ("waiver_entry_id", "waivers"),
            ("condition_id", "conditions"),
        ),
        field="sources",
    ),
    "conditions.Flag": FeedSource("flags"),
    "notifications.CongressionalNotification": FeedSource("notifications"),
    "safeguards.TechnologyItem": FeedSource("technology-items"),
    "safeguards.ReleaseDecision": FeedSource("release-decisions"),
    "safeguards.EndUseCheck": FeedSource("end-use-checks"),
    "safeguards.EndUseCheckItem": FeedSource(
        parents=(("end_use_check_id", "end-use-checks"),), field="items"
    ),
    "safeguards.Transfer": FeedSource("transfers"),
    "safeguards.TransferItem": FeedSource(parents=(("transfer_id", "transfers"),), field="items"),
    "safeguards.Violation": FeedSource("violations"),
    "safeguards.ViolationItem": FeedSource(
        parents=(("violation_id", "violations"),), field="items"
    ),
}
# Tracked on purpose but not records other systems follow: the digest outbox, ledger checks.
NOT_IN_FEED = {
    "conditions.Notification",
    "conditions.LedgerCheck",
    "notifications.ReviewPeriod",  # data loaded by migrations, not records people edit
}

TRIGGER_NAME = "registry_feed"

FEED_FUNCTION = r"""
CREATE OR REPLACE FUNCTION public.registry_record_change() RETURNS trigger AS $$
DECLARE
    row_data jsonb := to_jsonb(NEW);
    label text := row_data ->> 'pgh_label';
    resource text := TG_ARGV[0];
    parents text[] := string_to_array(NULLIF(TG_ARGV[1], ''), ',');
    is_record boolean := TG_ARGV[3] = 'record';
    pair text;
    previous jsonb;
    action text;
    fields text[];
    object_id bigint;
    row_version integer;
BEGIN
    IF parents IS NOT NULL THEN
        -- A row of another record's list: that record was updated.
        FOREACH pair IN ARRAY parents LOOP
            IF row_data ->> split_part(pair, '=', 1) IS NOT NULL THEN
                object_id := (row_data ->> split_part(pair, '=', 1))::bigint;
                resource := split_part(pair, '=', 2);
                EXIT;
            END IF;
        END LOOP;
        IF object_id IS NULL THEN
            RETURN NULL;
        END IF;
        action := 'updated';
        fields := ARRAY[TG_ARGV[2]];
    ELSE
        object_id := (row_data ->> 'pgh_obj_id')::bigint;
        row_version := (row_data ->> 'version')::integer;
        IF label = 'insert' THEN
            action := CASE WHEN is_record THEN 'recorded' ELSE 'created' END;
        ELSIF label = 'delete' THEN
            action := 'deleted';
        ELSE
            EXECUTE format(
                'SELECT to_jsonb(e) FROM %I.%I e WHERE pgh_obj_id = $1 AND pgh_id < $2 '
                'ORDER BY pgh_id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME
            ) INTO previous USING object_id, (row_data ->> 'pgh_id')::bigint;
            IF previous IS NOT NULL THEN
                SELECT array_agg(regexp_replace(key, '_id$', '') ORDER BY key) INTO fields
                FROM jsonb_each(row_data) AS now_(key, value)
                WHERE key NOT LIKE 'pgh\_%'
                  AND NOT key = ANY(string_to_array(TG_ARGV[4], ','))
                  AND previous -> key IS DISTINCT FROM value;
                fields := COALESCE(fields, ARRAY[]::text[]);
            END IF;
            action := CASE
                WHEN row_data ->> 'archived_at' IS NOT NULL
                     AND previous IS NOT NULL AND previous ->> 'archived_at' IS NULL
                THEN 'archived' ELSE 'updated' END;
        END IF;
    END IF;
    INSERT INTO public.registry_change (
        txid, occurred_at, resource, object_id, action, version, changed_fields,
        context_id, event_model, event_id
    ) VALUES (
        pg_current_xact_id()::text::bigint,
        (row_data ->> 'pgh_created_at')::timestamptz,
        resource, object_id, action, row_version, fields,
        (row_data ->> 'pgh_context_id')::uuid, TG_ARGV[5], (row_data ->> 'pgh_id')::bigint
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
"""


def _trigger_sql(event_model, source: FeedSource) -> str:
    table = connection.ops.quote_name(event_model._meta.db_table)
    parents = ",".join(f"{column}={resource}" for column, resource in source.parents)
    args = [
        source.resource,
        parents,
        source.field,
        "record" if source.record else "",
        ",".join(IGNORED_COLUMNS),
        event_model._meta.label,
    ]
    quoted = ", ".join("'" + arg.replace("'", "''") + "'" for arg in args)
    return (
        f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} AFTER INSERT ON public.{table} "
        f"FOR EACH ROW EXECUTE FUNCTION public.registry_record_change({quoted})"
    )


def feed_event_models() -> list[tuple]:
    """(event model, source) for every history table whose rows enter the feed."""
    pairs = []
    for label, source in FEED_SOURCES.items():
        model = apps.get_model(label)
        for event_model in model.pgh_event_models.values():
            pairs.append((event_model, source))
    return pairs


# The lock that orders commits and reads is the advisory lock (2020, 0): the two-key form,
# apart from the bigint keys the ledger and the scan use.

COMMIT_FUNCTIONS = """
CREATE OR REPLACE FUNCTION public.registry_stamp_commit() RETURNS trigger AS $$
BEGIN
    -- Once per transaction, at commit: the lock is held until the commit is done.
    IF current_setting('registry.feed_commit', true) IS DISTINCT FROM 'stamped' THEN
        PERFORM pg_advisory_xact_lock_shared(2020, 0);
        INSERT INTO public.registry_feedcommit (txid) VALUES (NEW.txid)
            ON CONFLICT (txid) DO NOTHING;
        PERFORM set_config('registry.feed_commit', 'stamped', true);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp;

CREATE OR REPLACE FUNCTION public.registry_feed_horizon() RETURNS bigint AS $$
DECLARE
    horizon bigint;
BEGIN
    -- Wait for every transaction between drawing its position and committing, then read
    -- the last position drawn: every position up to it is committed or rolled back.
    PERFORM pg_advisory_lock(2020, 0);
    horizon := pg_sequence_last_value(pg_get_serial_sequence('public.registry_feedcommit', 'id'));
    PERFORM pg_advisory_unlock(2020, 0);
    RETURN COALESCE(horizon, 0);
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp;
"""

COMMIT_TRIGGER = """
DROP TRIGGER IF EXISTS registry_change_commit ON public.registry_change;
CREATE CONSTRAINT TRIGGER registry_change_commit AFTER INSERT ON public.registry_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.registry_stamp_commit();
"""


def install_feed_triggers(*, using: str) -> None:
    """Create (or replace) the feed function and a trigger on every feed history table."""
    with connections[using].cursor() as cursor:
        cursor.execute(FEED_FUNCTION)
        cursor.execute(COMMIT_FUNCTIONS)
        cursor.execute(COMMIT_TRIGGER)
        for event_model, source in feed_event_models():
            cursor.execute(_trigger_sql(event_model, source))


def narrow_runtime_privileges(*, using: str) -> None:
    """The feed and the delivery log are append-only for the application, like history."""
    from core.db_roles import runtime_role

    connection_ = connections[using]
    role = connection_.ops.quote_name(runtime_role())
    with connection_.cursor() as cursor:
        cursor.execute(
            "REVOKE UPDATE, DELETE ON public.registry_change, public.registry_feedcommit, "
            f"public.registry_webhookdelivery FROM {role}"
        )


def after_migrate(sender, using, **kwargs) -> None:
    """post_migrate receiver (as the owner): triggers on every feed table, then grants."""
    from core.db_roles import runtime_role

    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user")
        (user,) = cursor.fetchone()
    if user == runtime_role():
        return  # a flush after a transactional test, not `migrate`: nothing to install
    install_feed_triggers(using=using)
    narrow_runtime_privileges(using=using)


# Reading the feed ------------------------------------------------------------------------

CURSOR_PATTERN = re.compile(r"^(\d{1,18})\.(\d{1,18})$")
START = (0, 0)
CURSOR_ERROR = "Not a cursor of this feed; use a `cursor` value it returned, or 0."


def encode_cursor(position: int, change_id: int) -> str:
    return f"{position}.{change_id}"


def decode_cursor(raw: str) -> tuple[int, int]:
    """`<position>.<change id>` (or `0`, the beginning) → a pair; ValueError when malformed."""
    if raw in ("", "0"):
        return START
    match = CURSOR_PATTERN.match(raw)
    if not match:
        raise ValueError(CURSOR_ERROR)
    return int(match.group(1)), int(match.group(2))


@dataclasses.dataclass(frozen=True)
class FeedChange:
    """A change as the feed and the webhooks present it."""

    id: int
    position: int
    occurred_at: datetime.datetime
    resource: str
    object_id: int
    action: str
    version: int | None
    changed_fields: list[str] | None
    actor: str
    channel: str

    @property
    def cursor(self) -> str:
        return encode_cursor(self.position, self.id)

    def as_json(self) -> dict:
        return {
            "cursor": self.cursor,
            "occurred_at": self.occurred_at.isoformat(),
            "resource": self.resource,
            "id": self.object_id,
            "action": self.action,
            "channel": self.channel,
            "actor": self.actor,
            "version": self.version,
            "changed_fields": self.changed_fields,
        }


FEED_QUERY = """
SELECT c.id, k.id, c.occurred_at, c.resource, c.object_id, c.action, c.version,
       c.changed_fields,
       COALESCE(ctx.metadata ->> 'actor', 'unknown'),
       COALESCE(ctx.metadata ->> 'channel', 'shell')
FROM registry_feedcommit k
JOIN registry_change c ON c.txid = k.txid
LEFT JOIN pghistory_context ctx ON ctx.id = c.context_id
WHERE (k.id, c.id) > (%(position)s, %(id)s)
  AND k.id >= %(position)s AND k.id <= %(horizon)s
  AND (%(filtered)s = false OR c.resource = ANY(%(resources)s::text[])
       OR c.resource || '.' || c.action = ANY(%(kinds)s::text[]))
  AND (%(since)s::timestamptz IS NULL OR c.occurred_at >= %(since)s::timestamptz)
  AND NOT {hidden}
ORDER BY k.id, c.id
LIMIT %(limit)s
"""


def feed_horizon(*, using: str = "default") -> int:
    """The last feed position whose transaction has finished (see the module's docstring).

    Its own statement: the rows are read by the next one, with a snapshot taken after it
    (READ COMMITTED, Django's default; a REPEATABLE READ transaction would read stale rows).
    """
    with connections[using].cursor() as db:
        db.execute("SELECT public.registry_feed_horizon()")
        return db.fetchone()[0]


def changes_after(
    cursor: tuple[int, int] = START,
    *,
    resources: list[str] | None = None,
    kinds: list[str] | None = None,
    since: datetime.datetime | None = None,
    limit: int = 50,
    categories: tuple[str, ...] = (),
    using: str = "default",
) -> list[FeedChange]:
    """Up to `limit` committed changes after `cursor`, in commit order.

    `resources` keeps changes of those resources, `kinds` adds `<resource>.<action>` pairs
    (e.g. `flags.created`); with neither, every change. Only changes of records a reader
    allowed `categories` may see (core.marked.allowed_category_codes; by default none, so
    a caller that forgets sees changes of uncontrolled records only).
    """
    horizon = feed_horizon(using=using)
    params = {
        "position": cursor[0],
        "id": cursor[1],
        "horizon": horizon,
        "filtered": resources is not None or kinds is not None,
        "resources": list(resources or []),
        "kinds": list(kinds or []),
        "since": since,
        "limit": limit,
        "allowed": list(categories),
    }
    query = FEED_QUERY.format(hidden=hidden_change_sql(FEED_SOURCES))
    with connections[using].cursor() as db:
        db.execute(query, params)
        return [FeedChange(*row) for row in db.fetchall()]


def feed_head(*, using: str = "default") -> tuple[int, int]:
    """The cursor after every change committed so far: where a new subscription starts."""
    return (feed_horizon(using=using) + 1, 0)


def check_resources(values: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(RESOURCES))
    if unknown:
        raise ValueError(f"Unknown resource {unknown[0]!r}; use one of {', '.join(RESOURCES)}.")
    return values
