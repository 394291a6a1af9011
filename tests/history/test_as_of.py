"""Point in time: a record as it stood at the end of an earlier day."""

import datetime

import pytest
from rest_framework.test import APIClient

from agreements.services import agreement_update
from agreements.snapshots import agreement_as_of
from conditions.services import condition_update
from conditions.snapshots import condition_as_of
from core.registry_day import registry_today
from partners.services import partner_update
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    DesignationFactory,
    ParticipantFactory,
)
from tests.roles import as_owner

pytestmark = pytest.mark.django_db

TODAY = registry_today()
TEN_DAYS_AGO = TODAY - datetime.timedelta(days=10)
FIVE_DAYS_AGO = TODAY - datetime.timedelta(days=5)

EVENT_TABLES = [
    "agreements_agreementevent",
    "agreements_agreementparticipantevent",
    "agreements_agreementtechnologyareaevent",
    "agreements_technologyareaevent",
    "partners_partnerevent",
    "partners_partnerdesignationevent",
    "conditions_conditionevent",
    "conditions_conditionrequirementevent",
]


def _backdate_everything_so_far(days: int) -> None:
    """Pretend what exists now was recorded `days` ago (a superuser rewriting test data)."""
    with as_owner() as cursor:
        for table in EVENT_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(
                f"UPDATE {table} SET pgh_created_at = pgh_created_at - %s",  # noqa: S608
                [datetime.timedelta(days=days)],
            )
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_agreement_as_of_returns_the_earlier_value_after_an_edit(editor):
    participant = ParticipantFactory(agreement=AgreementFactory(title="Original title"))
    agreement, partner = participant.agreement, participant.partner
    DesignationFactory(partner=partner, category="mnna", valid_from=datetime.date(1989, 1, 1))
    _backdate_everything_so_far(10)

    agreement_update(agreement=agreement, actor=editor, title="Renamed", participants=[])
    partner_update(
        partner=partner,
        actor=editor,
        designations=[{"category": "nato_member", "valid_from": TODAY, "instrument": ""}],
    )

    then = agreement_as_of(agreement.pk, FIVE_DAYS_AGO)
    assert then["title"] == "Original title"
    assert [p["partner"] for p in then["participants"]] == [partner.pk]
    [held] = then["partner_designations"]
    assert held["partner"] == partner.pk
    assert [d["category"] for d in held["designations"]] == ["mnna"]

    now = agreement_as_of(agreement.pk, TODAY)
    assert now["title"] == "Renamed" and now["participants"] == []
    assert agreement_as_of(agreement.pk, TEN_DAYS_AGO - datetime.timedelta(days=1)) is None


def test_condition_as_of_returns_the_earlier_status(editor):
    condition = ConditionFactory(status="pending_review", title="Leahy unit review")
    _backdate_everything_so_far(10)
    condition_update(condition=condition, actor=editor, title="Renamed condition")
    assert condition_as_of(condition.pk, FIVE_DAYS_AGO)["title"] == "Leahy unit review"
    assert condition_as_of(condition.pk, TODAY)["title"] == "Renamed condition"
    assert condition_as_of(condition.pk, FIVE_DAYS_AGO)["partner"] == condition.partner_id


def test_as_of_on_the_agreement_page_and_api(client, editor):
    agreement = AgreementFactory(title="Original title")
    _backdate_everything_so_far(10)
    agreement_update(agreement=agreement, actor=editor, title="Renamed")
    client.force_login(editor)
    page = client.get(f"/agreements/{agreement.pk}/", {"as_of": FIVE_DAYS_AGO.isoformat()})
    assert page.status_code == 200
    assert "Original title" in page.content.decode()
    assert "Renamed" not in page.content.decode()
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 200
    assert client.get(f"/agreements/{agreement.pk}/", {"as_of": "2020-13-45"}).status_code == 400
    assert client.get(f"/agreements/{agreement.pk}/", {"as_of": "1999-01-01"}).status_code == 404

    api = APIClient()
    api.force_authenticate(editor)
    url = f"/api/v1/agreements/{agreement.pk}/"
    then = api.get(url, {"as_of": FIVE_DAYS_AGO.isoformat()})
    assert then.status_code == 200
    assert then.json()["title"] == "Original title"
    assert then.json()["as_of"] == FIVE_DAYS_AGO.isoformat()
    assert api.get(url).json()["title"] == "Renamed"
    bad = api.get(url, {"as_of": "yesterday"})
    assert bad.status_code == 400 and "as_of" in bad.json()
    assert api.get(url, {"as_of": "1999-01-01"}).status_code == 404


def test_as_of_on_the_condition_page_and_api(client, auditor, editor):
    condition = ConditionFactory(title="Leahy unit review")
    _backdate_everything_so_far(10)
    condition_update(condition=condition, actor=editor, title="Renamed condition")
    client.force_login(auditor)
    page = client.get(f"/conditions/{condition.pk}/", {"as_of": FIVE_DAYS_AGO.isoformat()})
    assert page.status_code == 200 and "Leahy unit review" in page.content.decode()
    api = APIClient()
    api.force_authenticate(auditor)
    then = api.get(f"/api/v1/conditions/{condition.pk}/", {"as_of": FIVE_DAYS_AGO.isoformat()})
    assert then.status_code == 200 and then.json()["title"] == "Leahy unit review"
