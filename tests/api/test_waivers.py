import datetime

import pytest

from conditions.models import WaiverEntry
from conditions.services import waiver_record
from core.registry_day import registry_today
from tests.factories import ConditionFactory, RequirementFactory, waiver_fields

pytestmark = pytest.mark.django_db
URL = "/api/v1/waivers/"
TODAY = registry_today()


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def api_body(condition, **overrides):
    fields = waiver_fields(**overrides)
    body = {k: (v.pk if hasattr(v, "pk") else v) for k, v in fields.items()}
    body = {k: (str(v) if isinstance(v, datetime.date) else v) for k, v in body.items()}
    return {"condition": condition.pk, **body}


def test_post_records_entry_with_read_only_ledger_fields(api):
    condition = ConditionFactory()
    RequirementFactory(condition=condition, label="(a)(1)")
    body = api_body(
        condition,
        requirements_waived=["(a)(1)"],
        amount_usd=300000000,
        sources=[{"url": "https://www.state.gov/pd", "kind": "official", "published_on": None}],
    )
    body.update(recorded_by="someone", entry_hash="f" * 64, previous_hash="e" * 64)
    response = api.post(URL, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["recorded_by"] == "editor"
    assert data["entry_hash"] != "f" * 64 and len(data["entry_hash"]) == 64
    assert data["previous_hash"] == "0" * 64
    assert data["recorded_at"].endswith("Z") or "+00:00" in data["recorded_at"]
    assert data["amount_usd"] == 300000000
    condition.refresh_from_db()
    assert condition.status == "waived"


def test_ledger_is_append_only(api, editor):
    entry = waiver_record(condition=ConditionFactory(), actor=editor, **waiver_fields())
    for method in (api.put, api.patch, api.delete):
        response = method(f"{URL}{entry.pk}/", {"justification": "rewritten"})
        assert response.status_code == 405
    entry.refresh_from_db()
    assert entry.justification == waiver_fields()["justification"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"action": "extended"}, "amends"),
        ({"effective_on": TODAY - datetime.timedelta(days=5)}, "effective_on"),
        ({"justification": ""}, "justification"),
        ({"standard": "convenience"}, "standard"),
        ({"requirements_waived": ["(z)"]}, "requirements_waived"),
        ({"amount_usd": -5}, "amount_usd"),
        ({"sources": [{"url": "https://x.gov", "kind": "rumour"}]}, "sources[0].kind"),
    ],
)
def test_bad_entries_are_refused(api, overrides, field):
    response = api.post(URL, api_body(ConditionFactory(), **overrides))
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not WaiverEntry.objects.exists()


def test_filters_and_waiver_history(api, editor):
    first = ConditionFactory(title="Egypt FMF")
    grant = waiver_record(condition=first, actor=editor, **waiver_fields())
    extension = waiver_record(
        condition=first,
        actor=editor,
        **waiver_fields(
            action="extended",
            amends=grant,
            authority=grant.authority,
            expires_on=TODAY + datetime.timedelta(days=400),
            signed_on=TODAY,
            effective_on=TODAY,
        ),
    )
    other = waiver_record(
        condition=ConditionFactory(),
        actor=editor,
        **waiver_fields(
            standard="emergency",
            publicity="classified",
            official_title="President",
            signed_on=TODAY - datetime.timedelta(days=30),
            effective_on=TODAY - datetime.timedelta(days=30),
        ),
    )
    assert ids(api.get(URL)) == [other.pk, extension.pk, grant.pk]  # newest first
    assert ids(api.get(URL, {"condition": first.pk})) == [extension.pk, grant.pk]
    assert ids(api.get(URL, {"partner": other.condition.partner_id})) == [other.pk]
    assert ids(api.get(URL, {"authority": grant.authority_id})) == [extension.pk, grant.pk]
    assert ids(api.get(URL, {"standard": "emergency"})) == [other.pk]
    assert ids(api.get(URL, {"action": "extended"})) == [extension.pk]
    assert ids(api.get(URL, {"publicity": "classified"})) == [other.pk]
    assert ids(api.get(URL, {"official_title": "presid"})) == [other.pk]
    assert ids(api.get(URL, {"signed_before": str(TODAY - datetime.timedelta(days=30))})) == [
        other.pk
    ]
    assert ids(api.get(URL, {"signed_after": str(TODAY)})) == [extension.pk]
    assert ids(api.get(URL, {"search": "egypt fmf"})) == [extension.pk, grant.pk]
    assert ids(api.get(URL, {"ordering": "signed_on"}))[0] == other.pk
    history = api.get(f"/api/v1/conditions/{first.pk}/waiver-history/", {"page_size": 1}).json()
    assert [e["id"] for e in history["results"]] == [grant.pk]  # oldest first
    assert [e["id"] for e in api.get(history["next"]).json()["results"]] == [extension.pk]


def test_roles(auditor_api, anon_api, editor):
    entry = waiver_record(condition=ConditionFactory(), actor=editor, **waiver_fields())
    assert auditor_api.get(f"{URL}{entry.pk}/").status_code == 200
    assert auditor_api.post(URL, api_body(entry.condition)).status_code == 403
    assert anon_api.get(URL).status_code == 401
    assert WaiverEntry.objects.count() == 1
