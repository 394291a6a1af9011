"""The change history leaves out events of records a reader may not see: the change log, a
record's history page, /api/v1/history/ and the dashboard's recent changes."""

import pytest
from django.contrib.auth.models import Group

from agreements.models import Agreement
from conditions.models import Condition
from core.history.events import history_page
from core.history.slice import EventFilter
from registry.dashboard import recent_changes
from tests.api.conftest import token_client
from tests.factories import UserFactory

SECRET_NAMES = ("Condition secret", "DTC-2024-SECRET")


@pytest.fixture
def auditors(db):
    """Two auditors, the first cleared for EXPT."""
    cleared = UserFactory(username="cleared-auditor", role="auditor")
    cleared.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    return cleared, UserFactory(username="uncleared-auditor", role="auditor")


def _api_events(user, query: str = "") -> list[dict]:
    response = token_client(user).get(f"/api/v1/history/?page_size=500{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _shows_secret(events: list[dict], marked) -> bool:
    secret = {marked["secret_condition"].pk, marked["secret_agreement"].pk}
    return any(
        (
            e["object_type"] in ("conditions.Condition", "agreements.Agreement")
            and int(e["object_id"]) in secret
        )
        or e["data"].get("agreement_id") == marked["secret_agreement"].pk
        or e["data"].get("condition_id") == marked["secret_condition"].pk
        for e in events
    )


def test_api_change_log_leaves_out_marked_records_and_their_rows(marked, auditors):
    cleared, uncleared = auditors
    assert _shows_secret(_api_events(cleared), marked)
    hidden = _api_events(uncleared)
    assert hidden and not _shows_secret(hidden, marked)
    # The participant of the EXPT agreement (an unmarked row) follows its agreement.
    participants = _api_events(uncleared, "&object_type=agreements.AgreementParticipant")
    assert [e["data"]["agreement_id"] for e in participants] == [marked["open_agreement"].pk]


def test_api_event_of_a_hidden_record_is_not_found(marked, auditors):
    cleared, uncleared = auditors
    pk = marked["secret_condition"].pk
    slug = _api_events(cleared, f"&object_type=conditions.Condition&object_id={pk}")[0]["id"]
    assert token_client(cleared).get(f"/api/v1/history/{slug}/").status_code == 200
    assert token_client(uncleared).get(f"/api/v1/history/{slug}/").status_code == 404


def test_change_log_and_record_history_pages(client, marked, auditors):
    cleared, uncleared = auditors
    secret = marked["secret_agreement"]
    url = f"/history/agreements.agreement/{secret.pk}/"
    client.force_login(uncleared)
    page = client.get("/history/?page_size=500").content.decode()
    assert not any(name in page for name in SECRET_NAMES)
    assert "DTC-2024-OPEN" in page and "UNCLASSIFIED" in page
    assert client.get(url).status_code == 404
    client.force_login(cleared)
    page = client.get("/history/?page_size=500").content.decode()
    assert all(name in page for name in SECRET_NAMES) and "CUI//SP-EXPT//NOFORN" in page
    assert client.get(url).status_code == 200


def test_a_record_marked_later_hides_its_earlier_events(marked, auditors):
    cleared, uncleared = auditors
    condition = marked["open_condition"]
    query = f"&object_type=conditions.Condition&object_id={condition.pk}"
    assert _api_events(uncleared, query)
    Condition.objects.filter(pk=condition.pk).update(marking_categories=["EXPT"])
    assert _api_events(uncleared, query) == []
    assert len(_api_events(cleared, query)) >= 2  # uncontrolled then, EXPT now: both shown


def test_dashboard_recent_changes_leave_out_hidden_records(client, marked, cleared, uncleared):
    names = {row["name"] for row in recent_changes(limit=50, user=uncleared)}
    assert not any(secret in name for name in names for secret in SECRET_NAMES)
    assert any("DTC-2024-OPEN" in name for name in names)
    rows = recent_changes(limit=50, user=cleared)
    assert any("DTC-2024-SECRET" in row["name"] for row in rows)
    client.force_login(uncleared)
    assert "DTC-2024-SECRET" not in client.get("/").content.decode()
    client.force_login(cleared)
    assert "CUI//SP-EXPT//NOFORN" in client.get("/").content.decode()


@pytest.mark.parametrize("size", [1, 2, 5])
def test_keyset_pages_of_a_filtered_log_walk_every_visible_event_once(marked, size):
    Agreement.objects.filter(pk=marked["open_agreement"].pk).update(title="touched")
    expected = [e.pgh_slug for e in history_page(EventFilter(), size=500).events]
    assert expected
    seen, cursor = [], None
    while True:
        page = history_page(EventFilter(), size=size, cursor=cursor)
        seen += [e.pgh_slug for e in page.events]
        if page.older is None:
            break
        cursor = page.older
    assert seen == expected
    everything = history_page(EventFilter(categories=("EXPT",)), size=500).events
    assert len(everything) > len(expected)
