"""A Python client generated from /api/schema/ by openapi-python-client works against a live
server: the schema is good enough for other systems to build on (issue 16 part 3).

The client is generated into a temporary folder for this test and never committed.
"""

import datetime
import importlib
import subprocess
import sys
import urllib.parse
from pathlib import Path

import httpx
import pytest
from knox.models import AuthToken

pytestmark = pytest.mark.django_db(transaction=True)
GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))
PACKAGE = "dtc_registry_client"


@pytest.fixture
def generated(tmp_path, live_server, editor):
    _, token = AuthToken.objects.create(editor, expiry=datetime.timedelta(days=1))
    schema = httpx.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {token}"},
        timeout=60,
    )
    assert schema.status_code == 200, schema.text[:500]
    (tmp_path / "schema.json").write_bytes(schema.content)
    done = subprocess.run(  # noqa: S603
        [
            GENERATOR,
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # Every operation generated: the generator warns about anything it had to skip.
    assert "Warning" not in output and "Unable" not in output, output
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(PACKAGE)
        client = package.AuthenticatedClient(
            base_url=live_server.url, token=token, prefix="Token", raise_on_unexpected_status=True
        )
        yield (
            importlib.import_module(f"{PACKAGE}.api.v1"),
            importlib.import_module(f"{PACKAGE}.models"),
            client,
        )
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith(PACKAGE)]:
            del sys.modules[name]


def _call(module_name: str, **kwargs):
    module = importlib.import_module(f"{PACKAGE}.api.v1.{module_name}")
    response = module.sync_detailed(**kwargs)
    assert response.status_code < 300, (module_name, response.status_code, response.content)
    return response.parsed


def _cursor(next_url: str | None) -> str | None:
    if not next_url:
        return None
    return urllib.parse.parse_qs(urllib.parse.urlparse(next_url).query)["cursor"][0]


def _record_agreement(m, client):
    """Three partners, an act and provision, and an agreement between two of the partners."""
    partners = [
        _call(
            "v1_partners_create",
            client=client,
            body=m.PartnerRequest(name=f"Client partner {i}", kind=m.PartnerKindEnum.COMPANY),
        )
        for i in range(3)
    ]
    act = _call(
        "v1_acts_create",
        client=client,
        body=m.ActRequest(title="Client Act", status=m.ActStatusEnum.ENACTED),
    )
    provision = _call(
        "v1_provisions_create",
        client=client,
        body=m.ProvisionRequest(act=act.id, section="2350a", heading="Cooperative R&D"),
    )
    agreement = _call(
        "v1_agreements_create",
        client=client,
        body=m.AgreementRequest(
            reference="DTC-2026-0042",
            title="Client-made agreement",
            agreement_type=m.AgreementTypeEnum.CO_DEVELOPMENT,
            technology_transfer_risk=m.TechnologyTransferRiskEnum.MODERATE,
            participants=[
                m.ParticipantRequest(
                    partner=partners[0].id, role=m.ParticipantRoleEnum.LEAD, cost_share_percent=60
                ),
                m.ParticipantRequest(
                    partner=partners[1].id, role=m.ParticipantRoleEnum.PARTICIPANT
                ),
            ],
            legal_bases=[
                m.LegalBasisRequest(provision=provision.id, role=m.LegalBasisRoleEnum.AUTHORIZES)
            ],
        ),
    )
    return partners, provision, agreement


def _record_condition(m, client, *, partner, provision, agreement, today):
    """A condition on the agreement and a waiver granted under the provision."""
    condition = _call(
        "v1_conditions_create",
        client=client,
        body=m.ConditionRequest(
            title="Client-made condition",
            partner=partner.id,
            legal_basis=provision.id,
            agreement=agreement.id,
            review_interval_days=180,
            next_review_due=today + datetime.timedelta(days=90),
            responsible_office="DRL",
            requirements=[m.RequirementRequest(label="(a)(1)", text="Credible steps taken.")],
        ),
    )
    entry = _call(
        "v1_waivers_create",
        client=client,
        body=m.WaiverEntryRequest(
            condition=condition.id,
            action=m.WaiverEntryActionEnum.GRANTED,
            authority=provision.id,
            standard=m.StandardEnum.NATIONAL_SECURITY_INTEREST,
            official_title="Secretary of State",
            signed_on=today,
            effective_on=today,
            justification="In the national security interest.",
            publicity=m.PublicityEnum.PUBLISHED_OFFICIAL,
        ),
    )
    return condition, entry


def _partner_names_two_at_a_time(client) -> list[str]:
    """Every partner's name, following `next` two partners at a time."""
    names, cursor = [], None
    while True:
        kwargs = {"cursor": cursor} if cursor else {}
        page = _call("v1_partners_list", client=client, page_size=2, **kwargs)
        names += [p.name for p in page.results]
        cursor = _cursor(page.next_)
        if cursor is None:
            break
    return names


def test_a_generated_client_records_and_reads_back_the_registry(generated):
    _, m, client = generated
    today = datetime.date(2026, 3, 2)
    partners, provision, agreement = _record_agreement(m, client)
    condition, entry = _record_condition(
        m, client, partner=partners[0], provision=provision, agreement=agreement, today=today
    )

    # Read back, as typed objects.
    again = _call("v1_agreements_retrieve", client=client, id=agreement.id)
    assert again.reference == "DTC-2026-0042"
    assert {(p.partner, p.role.value) for p in again.participants} == {
        (partners[0].id, "lead"),
        (partners[1].id, "participant"),
    }
    assert [(b.provision, b.role.value) for b in again.legal_bases] == [
        (provision.id, "authorizes")
    ]
    read_condition = _call("v1_conditions_retrieve", client=client, id=condition.id)
    assert read_condition.requirements[0].label == "(a)(1)"
    read_entry = _call("v1_waivers_retrieve", client=client, id=entry.id)
    assert read_entry.condition == condition.id and read_entry.signed_on == today
    assert _call("v1_conditions_retrieve", client=client, id=condition.id).status.value == "waived"

    names = _partner_names_two_at_a_time(client)
    assert sorted(names) == sorted(p.name for p in partners)

    # The change feed, through the same client.
    feed = _call("v1_changes_list", client=client, page_size=500)
    seen = {(c.resource.value, c.id) for c in feed.results}
    assert {("partners", partners[0].id), ("agreements", agreement.id)} <= seen
    assert ("waivers", entry.id) in seen and ("conditions", condition.id) in seen
