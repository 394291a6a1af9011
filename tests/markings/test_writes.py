"""Writes follow reads: a user references, amends and marks only what they may see
(docs/decisions/0034-need-to-know.md). A hidden id answers exactly like a missing one."""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse

from conditions.models import Condition, WaiverEntry
from conditions.services import waiver_record
from core.registry_day import registry_today
from registry.importing.records import import_records
from tests.api.conftest import token_client
from tests.factories import CountryFactory, ProvisionFactory, waiver_fields
from tests.imports.test_importing import to_csv
from tests.markings.conftest import EXPT

MISSING = 987654321


def _json(fields: dict) -> dict:
    out = {k: (v.pk if hasattr(v, "pk") else v) for k, v in fields.items()}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in out.items()}


def _same_answer(post, hidden_id: int, body_of) -> None:
    """The answer for `hidden_id` equals the answer for a missing id, the id swapped."""
    hidden, missing = post(body_of(hidden_id)), post(body_of(MISSING))
    assert hidden.status_code == missing.status_code == 400, (hidden.json(), missing.json())
    assert hidden.content.decode().replace(
        str(hidden_id), "ID"
    ) == missing.content.decode().replace(str(MISSING), "ID")
    assert str(hidden_id) in hidden.content.decode()  # the message names the id given


def _condition_body(partner, agreement=None) -> dict:
    return {
        "title": "Leahy vetting",
        "description": "Withheld pending vetting.",
        "partner": partner,
        "agreement": agreement,
        "legal_basis": ProvisionFactory(section="362").pk,
        "review_interval_days": 180,
        "next_review_due": str(registry_today() + datetime.timedelta(days=60)),
        "status": "pending_review",
        "responsible_office": "DRL/SFA",
        "leahy_applicable": True,
    }


def test_a_waiver_on_a_hidden_condition_is_refused_like_a_missing_one(marked, uncleared):
    api = token_client(uncleared)
    fields = _json(waiver_fields(authority=marked["open_condition"].legal_basis))
    before = WaiverEntry.objects.count()
    _same_answer(
        lambda body: api.post("/api/v1/waivers/", body, format="json"),
        marked["secret_condition"].pk,
        lambda pk: {**fields, "condition": pk},
    )
    assert WaiverEntry.objects.count() == before


def test_amending_a_hidden_entry_is_refused_like_a_missing_one(marked, uncleared):
    api = token_client(uncleared)
    hidden = marked["secret_condition"].waiver_entries.get()
    visible = marked["open_condition"]
    fields = _json(waiver_fields(authority=visible.legal_basis))
    fields.update(action="revoked", condition=visible.pk)
    _same_answer(
        lambda body: api.post("/api/v1/waivers/", body, format="json"),
        hidden.pk,
        lambda pk: {**fields, "amends": pk},
    )
    assert not WaiverEntry.objects.filter(amends=hidden).exists()


def test_a_condition_naming_a_hidden_partner_or_agreement_is_refused_like_a_missing_one(
    marked, uncleared
):
    api = token_client(uncleared)
    hidden_partner = CountryFactory(name="Hidden", iso3="HID", **EXPT)
    open_partner = marked["partner"].pk

    def post(body):
        return api.post("/api/v1/conditions/", body, format="json")

    _same_answer(post, hidden_partner.pk, lambda pk: _condition_body(pk))
    _same_answer(post, marked["secret_agreement"].pk, lambda pk: _condition_body(open_partner, pk))
    assert not Condition.objects.filter(title="Leahy vetting").exists()


def test_an_agreement_participant_that_is_hidden_is_refused_like_a_missing_one(marked, uncleared):
    api = token_client(uncleared)
    hidden_partner = CountryFactory(name="Hidden", iso3="HID", **EXPT)

    def body_of(pk):
        return {
            "reference": "DTC-2030-0001",
            "title": "Co-development",
            "agreement_type": "co_development",
            "status": "proposed",
            "technology_transfer_risk": "low",
            "participants": [{"partner": pk, "role": "lead"}],
        }

    _same_answer(
        lambda body: api.post("/api/v1/agreements/", body, format="json"),
        hidden_partner.pk,
        body_of,
    )


def test_a_user_marks_only_with_categories_they_hold(marked, uncleared, cleared):
    url = f"/api/v1/partners/{marked['partner'].pk}/"
    refused = token_client(uncleared).patch(url, {"marking_categories": ["EXPT"]}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["marking_categories"]
    assert "Export controlled (EXPT)" in refused.json()["marking_categories"][0]
    marked["partner"].refresh_from_db()
    assert marked["partner"].marking_categories == []
    allowed = token_client(cleared).patch(url, {"marking_categories": ["EXPT"]}, format="json")
    assert allowed.status_code == 200, allowed.json()
    also_refused = token_client(cleared).patch(
        url, {"marking_categories": ["EXPT", "PRVCY"]}, format="json"
    )
    assert also_refused.status_code == 400
    assert "PRVCY" in also_refused.json()["marking_categories"][0]


def test_a_waiver_entry_carries_at_least_its_condition_and_amended_entry_marking(marked, cleared):
    secret = marked["secret_condition"]
    api = token_client(cleared)
    fields = _json(waiver_fields(authority=secret.legal_basis))
    granted = secret.waiver_entries.get()
    body = {**fields, "condition": secret.pk, "action": "corrected", "amends": granted.pk}
    created = api.post("/api/v1/waivers/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["marking"] == "CUI//SP-EXPT//NOFORN"
    # A cleared user's entry on an open condition, amending an open entry, stays open.
    opened = marked["open_condition"]
    entry = waiver_record(
        condition=opened,
        actor=cleared,
        **waiver_fields(authority=opened.legal_basis, action="corrected")
        | {"amends": opened.waiver_entries.get()},
    )
    assert entry.marking.banner == "UNCLASSIFIED"


def test_a_review_and_a_condition_carry_their_parents_markings(marked, cleared):
    api = token_client(cleared)
    secret = marked["secret_condition"]
    review = api.post(
        f"/api/v1/conditions/{secret.pk}/reviews/",
        {"reviewed_on": str(registry_today()), "outcome": "met", "notes": "n"},
        format="json",
    )
    assert review.status_code == 201, review.json()
    assert review.json()["marking"] == "CUI//SP-EXPT//NOFORN"
    agreement = marked["secret_agreement"].pk
    body = _condition_body(marked["partner"].pk, agreement)
    created = api.post("/api/v1/conditions/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["marking_categories"] == ["EXPT"]


def test_the_import_resolves_keys_among_what_the_user_may_see(marked, uncleared, cleared):
    secret = marked["secret_condition"]

    def waiver_row(condition_title):
        fields = waiver_fields(authority=secret.legal_basis)
        fields.pop("authority")
        row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()}
        return {
            "record_type": "waiver",
            "condition": condition_title,
            "condition_partner": "Israel",
            "authority_codification": secret.legal_basis.codification,
            **row,
        }

    def errors(actor, title):
        result = import_records(to_csv([waiver_row(title)]), actor=actor, dry_run=True)
        return [(e.field, e.message) for e in result.errors]

    hidden = errors(uncleared, "Condition secret")
    missing = errors(uncleared, "Condition nowhere")
    assert hidden == [(f, m.replace("Condition nowhere", "Condition secret")) for f, m in missing]
    assert ("condition", "No condition “Condition secret” for Israel.") in hidden
    assert not [e for e in errors(cleared, "Condition secret") if e[0] == "condition"]


def test_a_form_refuses_a_hidden_record_like_a_missing_one(client, marked, uncleared):
    client.force_login(uncleared)
    hidden_partner = CountryFactory(name="Hidden", iso3="HID", **EXPT)
    url = reverse("conditions:condition_create")

    def error_of(partner):
        data = {k: ("" if v is None else v) for k, v in _condition_body(partner).items()}
        page = client.post(url, data)
        assert page.status_code == 200
        return page.context["form"].errors["partner"]

    assert error_of(hidden_partner.pk) == error_of(MISSING)
    assert error_of("Hidden") == error_of("Nowhere")


def test_the_cleared_group_is_what_counts(marked, uncleared):
    uncleared.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    api = token_client(uncleared)
    fields = _json(waiver_fields(authority=marked["secret_condition"].legal_basis))
    body = {**fields, "condition": marked["secret_condition"].pk, "action": "granted"}
    assert api.post("/api/v1/waivers/", body, format="json").status_code != 404


def test_a_collision_with_a_hidden_record_answers_as_one_with_a_visible_record(marked, uncleared):
    """The residual signal the contract accepts: same status, same message, no record named."""
    api = token_client(uncleared)
    CountryFactory(name="Hidden", iso3="HID", **EXPT)
    CountryFactory(name="Shown", iso3="SHO")

    def partner(name, iso3):
        body = {"name": name, "kind": "country", "iso3": iso3}
        return api.post("/api/v1/partners/", body, format="json")

    for hidden, shown in (
        (partner("hidden", "ABW"), partner("shown", "AFG")),  # the name, any case
        (partner("Other one", "HID"), partner("Other two", "SHO")),  # the ISO code
    ):
        assert hidden.status_code == shown.status_code == 400
        assert hidden.json() == shown.json()
        assert "Hidden" not in hidden.content.decode()

    def agreement(reference):
        body = {
            "reference": reference,
            "title": "T",
            "agreement_type": "co_development",
            "status": "proposed",
            "technology_transfer_risk": "low",
        }
        return api.post("/api/v1/agreements/", body, format="json")

    hidden, shown = agreement("DTC-2024-SECRET"), agreement("DTC-2024-OPEN")
    assert hidden.status_code == shown.status_code == 400
    assert hidden.json() == shown.json()
    assert str(marked["secret_agreement"].pk) not in hidden.content.decode()


def test_an_edit_that_would_inherit_a_marking_the_editor_lacks_is_refused(marked, uncleared):
    """An open condition that names an agreement marked since (made before the rule)."""
    from conditions.models import Condition as C

    condition = marked["open_condition"]
    C.objects.filter(pk=condition.pk).update(agreement=marked["secret_agreement"])
    api = token_client(uncleared)
    response = api.patch(f"/api/v1/conditions/{condition.pk}/", {"unit": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["marking_categories"]
    condition.refresh_from_db()
    assert condition.marking_categories == [] and condition.unit != "x"
