"""Eight writers at once, each on its own connection, leave one unbroken chain."""

import threading

import pytest
from django.db import connection

from conditions.models import WaiverEntry
from conditions.services import waiver_record
from conditions.services.ledger import walk_chain
from tests.factories import ConditionFactory, ProvisionFactory, UserFactory, waiver_fields

WRITERS = 8
ENTRIES_EACH = 4


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_leave_one_chain():
    user = UserFactory()  # transactional tests flush the role groups; services need none
    authority = ProvisionFactory(report_deadline_days=15)
    conditions = [ConditionFactory() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    errors: list = []

    def write(condition):
        try:
            start.wait(timeout=30)
            for n in range(ENTRIES_EACH):
                grant = waiver_fields(authority=authority, amount_usd=n)
                waiver_record(condition=condition, actor=user, **grant)
        except Exception as error:  # reported below, with the thread's own traceback lost
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(c,)) for c in conditions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    result = walk_chain()
    assert result.ok, result.reason
    assert result.entries_checked == WRITERS * ENTRIES_EACH
    links = list(WaiverEntry.objects.values_list("previous_hash", flat=True))
    assert len(set(links)) == len(links)  # no entry was the successor of two others
