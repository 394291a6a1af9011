"""The safeguards flag conditions (safeguards/overdue.py) on and around their deadlines."""

import datetime

import pytest

from safeguards.overdue import due_flags
from tests.factories import DesignationFactory, PartnerFactory
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def kinds(day):
    return {(kind, subject_id) for kind, _type, subject_id, _due in due_flags(day)}


def test_follow_up_is_overdue_the_day_after_it_was_due_until_resolved():
    check = EndUseCheckFactory(
        result="inconclusive", performed_on=D(2024, 1, 1), follow_up_due=D(2024, 3, 1),
        resolved_on=D(2024, 4, 1),
    )  # fmt: skip
    EndUseCheckFactory(result="favorable", performed_on=D(2024, 1, 1), follow_up_due=D(2024, 2, 1))
    assert kinds(D(2024, 3, 1)) == set()
    assert kinds(D(2024, 3, 2)) == {("eum_follow_up_overdue", check.pk)}
    assert kinds(D(2024, 4, 1)) == set()


def test_violation_report_is_due_30_days_after_discovery():
    violation = ViolationFactory(discovered_on=D(2024, 5, 1), reported_to_congress_on=None)
    assert kinds(D(2024, 5, 31)) == set()  # the 30th day: still in time
    assert due_flags(D(2024, 6, 1)) == {
        ("violation_report_overdue", "violations", violation.pk, D(2024, 5, 31))
    }
    violation.reported_to_congress_on = D(2024, 6, 10)
    violation.save()
    assert kinds(D(2024, 6, 10)) == set()


def test_transfer_decision_is_due_90_days_after_the_request():
    transfer = TransferFactory(requested_on=D(2024, 1, 1), decision="pending", decided_on=None)
    assert kinds(D(2024, 3, 31)) == set()  # 2024-01-01 + 90 days
    assert kinds(D(2024, 4, 1)) == {("transfer_decision_overdue", transfer.pk)}


def test_a_partner_designated_later_raises_proscribed_path_for_the_chain_ending_there():
    item = TechnologyItemFactory()
    a, b, c = PartnerFactory(), PartnerFactory(), PartnerFactory()
    ReleaseFactory(item=item, partner=a, decided_on=D(2020, 1, 1))
    TransferFactory(from_partner=a, to_partner=b, items=[item], decided_on=D(2021, 1, 1))
    last = TransferFactory(from_partner=b, to_partner=c, items=[item], decided_on=D(2021, 2, 1))
    # An approved transfer to C of an item B never held is no chain from a release.
    TransferFactory(from_partner=b, to_partner=c, items=[TechnologyItemFactory()])
    assert kinds(D(2023, 1, 1)) == set()
    DesignationFactory(partner=c, category="itar_126_1", valid_from=D(2022, 6, 1))
    assert due_flags(D(2023, 1, 1)) == {("proscribed_path", "transfers", last.pk, D(2022, 6, 1))}
    assert kinds(D(2022, 5, 31)) == set()
