"""Random transfer graphs: the recursive CTE (safeguards/paths.py) agrees with a plain-Python
walk of the same graph, cycles included (A→B→A must end), on several days."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.models import Partner, PartnerDesignation
from safeguards.models import APPROVED, ReleaseDecision, TechnologyItem, Transfer, TransferItem
from safeguards.paths import paths_to_proscribed, transfer_paths
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2024, 1, 1)
PARTNERS, ITEMS = 6, 2
DAYS = (0, 5, 10, 20, 30)
# Decisions fall on the days compared, so a boundary (decided on D itself) is often tried.
offsets = st.sampled_from([0, 5, 10, 20, 30])


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


decisions = st.sampled_from(["approved", "approved_with_provisos", "denied"])
releases = st.lists(
    st.tuples(st.integers(0, ITEMS - 1), st.integers(0, PARTNERS - 1), decisions, offsets),
    max_size=5,
)
transfers = st.lists(
    st.tuples(
        st.integers(0, PARTNERS - 1),
        st.integers(0, PARTNERS - 1),
        st.sets(st.integers(0, ITEMS - 1), max_size=ITEMS),
        st.sampled_from(["approved", "approved_with_provisos", "denied", "pending"]),
        offsets,
    ),
    max_size=14,
)
designations = st.lists(
    st.tuples(st.integers(0, PARTNERS - 1), offsets, st.none() | offsets),
    max_size=3,
)


def python_paths(on, release_rows, transfer_rows):
    """Depth-first walk over simple paths, one item at a time: the definition, in Python."""
    edges = {}
    for source, target, items, decision, offset in transfer_rows:
        if decision in APPROVED and day(offset) <= on and source != target:
            for item in items:
                edges.setdefault((item, source), set()).add(target)
    found = set()

    def walk(item, origin, last, path):
        for target in edges.get((item, last), ()):
            if target != origin and target not in path:
                found.add((item, origin, (*path, target)))
                walk(item, origin, target, (*path, target))

    for item, partner, decision, offset in release_rows:
        if decision in APPROVED and day(offset) <= on:
            walk(item, partner, partner, ())
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(release_rows=releases, transfer_rows=transfers, designation_rows=designations)
def test_sql_paths_agree_with_a_python_walk(db, release_rows, transfer_rows, designation_rows):
    with transaction.atomic():
        agreement = AgreementFactory()
        partners = [Partner.objects.create(name=f"P{n}", kind="company") for n in range(PARTNERS)]
        items = [
            TechnologyItem.objects.create(
                agreement=agreement, name=f"I{n}", control_list="none", kind="hardware",
                classification="secret",
            )
            for n in range(ITEMS)
        ]  # fmt: skip
        for item, partner, decision, offset in release_rows:
            ReleaseDecision.objects.create(
                item=items[item], partner=partners[partner], decision=decision,
                authority="tsfd", decided_on=day(offset),
            )  # fmt: skip
        for source, target, carried, decision, offset in transfer_rows:
            if source == target:
                continue  # the table refuses it
            transfer = Transfer.objects.create(
                from_partner=partners[source], to_partner=partners[target], value_usd=1,
                requested_on=START, decision=decision,
                decided_on=None if decision == "pending" else day(offset),
            )  # fmt: skip
            TransferItem.objects.bulk_create(
                [TransferItem(transfer=transfer, item=items[i]) for i in carried]
            )
        for partner, start, length in designation_rows:
            PartnerDesignation.objects.create(
                partner=partners[partner], category="itar_126_1", valid_from=day(start),
                valid_to=None if length is None else day(start + length),
            )  # fmt: skip
        pk = {n: p.pk for n, p in enumerate(partners)}
        item_pk = {n: i.pk for n, i in enumerate(items)}
        for offset in DAYS:
            on = day(offset)
            expected = {
                (item_pk[i], pk[o], tuple(pk[p] for p in path))
                for i, o, path in python_paths(on, release_rows, transfer_rows)
            }
            assert transfer_paths(on) == expected
            banned = {
                pk[p]
                for p, start, length in designation_rows
                if day(start) <= on and (length is None or on <= day(start + length))
            }
            wanted: dict = {}
            for _item, origin, path in sorted(expected):
                if path[-1] in banned and list(path) not in wanted.get(origin, []):
                    wanted.setdefault(origin, []).append(list(path))
            got = paths_to_proscribed(on)
            assert {o: sorted(p) for o, p in got.items()} == {
                o: sorted(p) for o, p in wanted.items()
            }
        transaction.set_rollback(True)


def test_a_cycle_ends_and_the_chain_of_the_contract_is_reported(db):
    """A released, A→B, B→A, B→C with C proscribed: [B, C] in A's row, and the walk ends."""
    agreement = AgreementFactory()
    a, b, c = (Partner.objects.create(name=n, kind="company") for n in "ABC")
    item = TechnologyItem.objects.create(
        agreement=agreement, name="Seeker", control_list="none", kind="hardware",
        classification="secret",
    )  # fmt: skip
    ReleaseDecision.objects.create(
        item=item, partner=a, decision="approved", authority="tsfd", decided_on=START
    )
    for source, target in ((a, b), (b, a), (b, c)):
        transfer = Transfer.objects.create(
            from_partner=source, to_partner=target, value_usd=1, requested_on=START,
            decision="approved", decided_on=START,
        )  # fmt: skip
        transfer.items.add(item)
    PartnerDesignation.objects.create(partner=c, category="itar_126_1", valid_from=day(5))
    assert transfer_paths(START) == {(item.pk, a.pk, (b.pk,)), (item.pk, a.pk, (b.pk, c.pk))}
    assert paths_to_proscribed(START) == {}
    assert paths_to_proscribed(day(5)) == {a.pk: [[b.pk, c.pk]]}
