"""The demo set's notifications show each rule once (issue 27, item 5)."""

import io

import pytest
from django.core.management import call_command

from notifications.models import CongressionalNotification

pytestmark = pytest.mark.django_db


def test_demo_notifications_are_real_in_shape():
    call_command("seed_demo", stdout=io.StringIO())
    rows = {n.transmittal_number: n for n in CongressionalNotification.objects.with_review().all()}
    sale = rows["DSCA 90-001 (illustrative)"]
    assert (sale.kind, sale.review_days, sale.acted_early) == ("aeca_36b", 15, False)
    licence = rows["DDTC 90-012 (illustrative)"]
    assert (licence.partner.name, licence.review_days) == ("Egypt", 30)
    report = rows["OUSD(A&S) 90-003 (illustrative)"]
    assert report.agreement.reference == "DTC-2024-0007" and report.review_days == 30
    emergency = rows["DSCA 90-004 (illustrative)"]
    assert emergency.emergency_waiver and not emergency.acted_early
    leahy = rows["OSD 90-005 (illustrative)"]
    assert leahy.late and (leahy.received_on - leahy.waiver_entry.signed_on).days == 17
