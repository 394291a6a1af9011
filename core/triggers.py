"""Append-only triggers that no session setting can switch off (docs/decisions/0017).

pgtrigger's own triggers first ask `_pgtrigger_should_ignore(TG_NAME)`, which reads the
session setting `pgtrigger.ignore`: any role that may write a table could name a trigger there
and skip it. The triggers here are installed by pgtrigger (so migrations track them) from a
template without that question. Only the tables' owner (ALTER TABLE ... DISABLE TRIGGER) or a
superuser (session_replication_role) can set them aside, and the application never connects
as either.
"""

import pgtrigger
from pgtrigger import compiler


class StrictTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation SQL without the `pgtrigger.ignore` escape hatch.

    Migrations import this class by name and replay its template: like pgtrigger's own, keep
    both as they are (a new template needs a new class).
    """

    def get_template(self):
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class StrictTrigger(pgtrigger.Trigger):
    """A pgtrigger trigger compiled with StrictTriggerSql."""

    def compile(self, model):
        compiled = super().compile(model)
        kwargs = dict(compiled.sql.kwargs)
        kwargs.pop("ignore_func_name", None)
        return compiler.Trigger(name=self.name, sql=StrictTriggerSql(**kwargs))


REFUSAL = "RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;"


def append_only(
    name: str = "append_only", condition=None, operation=pgtrigger.Update | pgtrigger.Delete
) -> StrictTrigger:
    """Refuse UPDATE and DELETE of every row (or of the rows `condition` selects)."""
    return StrictTrigger(
        name=name,
        operation=operation,
        when=pgtrigger.Before,
        condition=condition,
        func=REFUSAL,
    )


def no_delete(name: str) -> StrictTrigger:
    """Refuse DELETE (for rows that may be completed but never removed)."""
    return StrictTrigger(
        name=name,
        operation=pgtrigger.Delete,
        when=pgtrigger.Before,
        func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
    )


def no_truncate() -> StrictTrigger:
    """A statement-level trigger refusing TRUNCATE, for append-only tables.

    (Row-level triggers cannot do this: TRUNCATE fires statement-level triggers only.)
    """
    return StrictTrigger(
        name="no_truncate",
        operation=pgtrigger.Truncate,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        func="RAISE EXCEPTION 'pgtrigger: Cannot truncate the append-only % table', TG_TABLE_NAME;",
    )
