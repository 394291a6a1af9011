"""Random ledger chains: the SQL of the scan and the report agrees with the write path's Python.

Hypothesis builds chains of grants, extensions, corrections and revocations on random dates
(each recorded through `waiver_record`, which refuses what the contract forbids) and then,
for every day of the period, compares "waives on day D" and the enforcement amounts as
computed by conditions/chains.py in Python with the SQL used by the scan and the report.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import chains
from conditions.models import Condition
from conditions.services import waiver_record
from conditions.services.scan import scan_conditions
from registry.reports.enforcement import _condition_rows
from registry.reports.params import ReportParams
from tests.factories import ConditionFactory, PartnerFactory, ProvisionFactory, waiver_fields

pytestmark = pytest.mark.django_db
START = datetime.date(2024, 1, 1)
PERIOD = 70  # days compared, from START
AMOUNTS = (None, Decimal("10"), Decimal("20"), Decimal("35"))


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


offsets = st.integers(min_value=0, max_value=PERIOD - 10)
lengths = st.one_of(st.none(), st.integers(min_value=1, max_value=40))
operation = st.one_of(
    st.tuples(st.just("granted"), offsets, lengths, st.sampled_from(AMOUNTS)),
    st.tuples(st.just("extended"), st.integers(0, 3), offsets, st.integers(1, 30)),
    st.tuples(st.just("corrected"), st.integers(0, 3), offsets, lengths, st.sampled_from(AMOUNTS)),
    st.tuples(st.just("revoked"), st.integers(0, 3), offsets),
)


def apply(condition, actor, authority, op, latest: list) -> None:
    """Record one operation; the service may refuse it (e.g. extending a revoked chain)."""
    kind = op[0]
    common = {"authority": authority, "signed_on": START, "congress_notified_on": START}
    if kind == "granted":
        _, start, length, amount = op
        fields = {
            "effective_on": day(start),
            "amount_usd": amount,
            "expires_on": None if length is None else day(start + length),
        }
    else:
        if not latest:
            return
        index = op[1] % len(latest)
        amended = latest[index]
        fields = {"action": kind, "amends": amended, "effective_on": day(op[2])}
        if kind == "extended":
            if amended.expires_on is None:
                return
            fields["expires_on"] = amended.expires_on + datetime.timedelta(days=op[3])
        elif kind == "corrected":
            length = op[3]
            fields["expires_on"] = None if length is None else day(op[2] + length)
            fields["amount_usd"] = op[4]
        else:
            fields["expires_on"] = None
    try:
        entry = waiver_record(condition=condition, actor=actor, **waiver_fields(**common, **fields))
    except ValidationError:
        return
    if kind == "granted":
        latest.append(entry)
    else:
        latest[op[1] % len(latest)] = entry


def sql_chains(condition_id: int, on: datetime.date) -> tuple[bool, Decimal]:
    """Waives on the day, and the waived amount, by the SQL the scan and the report use."""
    sql = (
        f"WITH {chains.chain_sql('e.condition_id = %(id)s')} "
        "SELECT coalesce(bool_or(waives), false), "
        "coalesce(SUM(terms_amount_usd) FILTER (WHERE counts_as_waived), 0) FROM chain"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": condition_id, "day": on})
        return cursor.fetchone()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_sql_and_python_agree_on_every_day(editor, operations):
    condition = ConditionFactory(  # a partner of its own: the report row is this condition's
        partner=PartnerFactory(), fiscal_year=2024, amount_conditioned_usd=Decimal("50")
    )
    authority = ProvisionFactory(report_deadline_days=None)
    latest: list = []
    for op in operations:
        apply(condition, editor, authority, op, latest)
    entries = list(condition.waiver_entries.all())
    for offset in range(PERIOD):
        on = day(offset)
        waives, amount = sql_chains(condition.pk, on)
        assert waives == chains.waives_on(entries, on), (on, entries)
        assert amount == chains.amount_waived_on(entries, on), (on, entries)
    for offset in (5, 25, 45):  # the report's own statement, on a few days
        on = day(offset)
        (row,) = _condition_rows(ReportParams(partners=(condition.partner_id,), as_of=on))
        waived = chains.amount_waived_on(entries, on)
        assert row["amount_waived_usd"] == waived
        assert row["amount_withheld_usd"] == max(Decimal("50") - waived, Decimal("0"))
    for offset in (10, 40):  # the scan sets the status the Python rules give
        on = day(offset)
        scan_conditions(today=on)
        status = Condition.objects.values_list("status", flat=True).get(pk=condition.pk)
        assert (status == "waived") == chains.waives_on(entries, on), (on, entries)
