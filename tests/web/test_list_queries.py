"""Every list page runs the same number of queries for 1, 10 or 100 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.services import waiver_record
from tests.factories import (
    ActFactory,
    AgreementFactory,
    ConditionFactory,
    ParticipantFactory,
    PartnerFactory,
    ProvisionFactory,
    waiver_fields,
)


def _agreements(n):
    for _ in range(n):
        ParticipantFactory(agreement=AgreementFactory(), partner=PartnerFactory())


def _waivers(n, editor):
    condition = ConditionFactory()
    for _ in range(n):
        waiver_record(
            condition=condition, actor=editor, **waiver_fields(authority=condition.legal_basis)
        )


MAKERS = {
    "partners:partner_list": lambda n, editor: PartnerFactory.create_batch(n),
    "agreements:act_list": lambda n, editor: ActFactory.create_batch(n),
    "agreements:provision_list": lambda n, editor: ProvisionFactory.create_batch(n),
    "agreements:agreement_list": lambda n, editor: _agreements(n),
    "conditions:condition_list": lambda n, editor: ConditionFactory.create_batch(n),
    "conditions:waiver_list": _waivers,
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_list_query_count_does_not_grow_with_rows(client, editor, django_assert_num_queries, name):
    client.force_login(editor)
    url = reverse(name) + "?page_size=100"
    MAKERS[name](1, editor)
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(url).context["object_list"]) == 1
    for more, total in ((9, 10), (90, 100)):
        MAKERS[name](more, editor)
        with django_assert_num_queries(len(queries)):
            response = client.get(url)
        assert len(response.context["object_list"]) == total
