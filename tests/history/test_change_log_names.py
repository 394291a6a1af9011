"""The change log names records as people do, with a link, and exports CSV (issue 30, item 5)."""

import csv
import io

import pytest
from django.urls import reverse

from agreements.models import LegalBasis
from conditions.models import Flag
from core.history.context import history_context
from tests.factories import (
    ActFactory,
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    ParticipantFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(editor):
    with history_context(actor=editor, channel="web", request_id="req-12345678"):
        agreement = AgreementFactory(reference="DTC-2026-0007")
        japan = CountryFactory(name="Japan", iso3="JPN")
        participant = ParticipantFactory(agreement=agreement, partner=japan)
        title10 = ActFactory(title="Title 10, United States Code", kind="code_title")
        provision = ProvisionFactory(act=title10, section="2350a", codification="10 U.S.C. 2350a")
        basis = LegalBasis.objects.create(
            agreement=agreement, provision=provision, role="authorizes"
        )
        condition = ConditionFactory(title="FMF certification")
        flag = Flag.objects.create(condition=condition, kind=Flag.Kind.REVIEW_OVERDUE)
    return {"agreement": agreement, "participant": participant, "basis": basis, "flag": flag}


def test_records_are_named_by_natural_key_with_a_link(client, auditor, records):
    client.force_login(auditor)
    html = client.get(reverse("history:changes")).content.decode()
    agreement = records["agreement"]
    detail = reverse("agreements:agreement_detail", args=[agreement.pk])
    assert f'<a href="{detail}">DTC-2026-0007' in html
    participant = reverse(
        "history:object", args=["agreements.agreementparticipant", records["participant"].pk]
    )
    assert f'<a href="{participant}">Japan in DTC-2026-0007</a>' in html
    assert "10 U.S.C. 2350a for DTC-2026-0007" in html
    assert "Review overdue on FMF certification" in html
    assert "Flag #" not in html and "Legal basis #" not in html and "participant #" not in html
    assert "req-12345678" not in html


def test_the_change_log_exports_its_filtered_rows_as_csv(client, auditor, records):
    client.force_login(auditor)
    page = client.get(reverse("history:changes"), {"object_type": "conditions.Flag"})
    assert reverse("history:changes_csv") + "?object_type=conditions.Flag" in page.content.decode()
    response = client.get(reverse("history:changes_csv"), {"object_type": "conditions.Flag"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="change-log-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "when",
        "record_kind",
        "record_id",
        "record",
        "what",
        "user",
        "channel",
        "changes",
    ]
    assert [row[1:7] for row in rows[1:]] == [
        [
            "Flag",
            str(records["flag"].pk),
            "Review overdue on FMF certification",
            "created",
            "editor",
            "web",
        ]
    ]
    assert "Kind: Review overdue" in rows[1][7]
    bad = client.get(reverse("history:changes_csv"), {"channel": "carrier-pigeon"})
    assert bad.status_code == 400


def test_the_csv_is_for_auditors(client, editor):
    client.force_login(editor)
    assert client.get(reverse("history:changes_csv")).status_code == 403
