"""The demo data set's safeguards records (issue 28 item 7), loaded through the services."""

import pytest
from django.core.management import call_command

from safeguards.models import EndUseCheck, ReleaseDecision, Transfer, Violation

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_real_shaped_safeguards_records_once():
    call_command("seed_demo")
    javelin = ReleaseDecision.objects.get(item__name__startswith="Javelin")
    assert javelin.item.eeum and javelin.provisos == ["no_retransfer", "anti_tamper"]
    assert EndUseCheck.objects.filter(check_type="eeum_inventory", result="favorable").exists()
    lantern = EndUseCheck.objects.get(program="blue_lantern")
    assert lantern.result == "unfavorable" and lantern.resolved_on > lantern.follow_up_due
    transfers = Transfer.objects.with_notification_required()
    approved = transfers.get(decision="approved_with_provisos")
    assert approved.notification_required  # $30M of MDE from a NATO member: over $25M
    assert (
        transfers.get(decision="denied")
        .to_partner.designations.filter(category="itar_126_1")
        .exists()
    )
    violation = Violation.objects.get()
    assert (violation.reported_to_congress_on - violation.discovered_on).days == 40
    counts = [m.objects.count() for m in (ReleaseDecision, EndUseCheck, Transfer, Violation)]
    call_command("seed_demo")
    assert [
        m.objects.count() for m in (ReleaseDecision, EndUseCheck, Transfer, Violation)
    ] == counts
