"""Facts a page or export got wrong (issue 30, item 3): each fails on the code before the fix."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Act, LegalBasis
from registry.reports.access import access_csv_rows, access_report
from registry.reports.params import ReportParams
from tests.factories import ActFactory, AgreementFactory, ProvisionFactory
from tests.reports.conftest import access_data  # noqa: F401  (the hand-checked data set)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_signed_agreement_without_entry_into_force_reads_not_in_force(client, auditor):
    agreement = AgreementFactory(status="signed", signed_on=D(2026, 3, 1))
    client.force_login(auditor)
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    text = page.content.decode()
    assert "In force on" in text
    in_force = text.split("In force on", 1)[1].split("</dd>", 1)[0]
    assert in_force.endswith("No"), in_force


def test_a_code_section_is_cited_once(client, auditor):
    """A code title's section is cited by its codification: not "X (X)"."""
    title10 = ActFactory(title="Title 10, United States Code", kind=Act.Kind.CODE_TITLE)
    code = ProvisionFactory(act=title10, section="2350a", codification="10 U.S.C. 2350a")
    act_section = ProvisionFactory(codification="22 U.S.C. 2767")
    agreement = AgreementFactory()
    LegalBasis.objects.create(agreement=agreement, provision=code, role="authorizes")
    LegalBasis.objects.create(agreement=agreement, provision=act_section, role="funds")
    client.force_login(auditor)
    text = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content
    text = text.decode()
    assert "10 U.S.C. 2350a</a>" in text
    assert "10 U.S.C. 2350a (10 U.S.C. 2350a)" not in text
    # An act's section keeps its codification beside the act's citation.
    assert f"{act_section.citation} (22 U.S.C. 2767)</a>" in text


def test_access_csv_lists_each_areas_own_agreements(access_data):  # noqa: F811
    """Japan holds F-35 (aircraft), SM-3 (missile defense) and PAC-3 (missile and air
    defense): each area's line names those agreements only."""
    lines = list(access_csv_rows(access_report(ReportParams(as_of=D(2024, 1, 1)))))
    header = lines[0]
    area, count, refs = (
        header.index(c) for c in ("technology_area", "agreements_in_force", "agreements")
    )
    japan = {line[area]: (line[count], line[refs]) for line in lines if line[1] == "Japan"}
    assert japan == {
        "Aircraft": (1, "DTC-F35"),
        "Missile defense": (2, "DTC-PAC3 DTC-SM3"),
        "Air defense": (1, "DTC-PAC3"),
    }


def test_every_csv_export_is_named_by_the_registry_day(client, auditor):
    from core.registry_day import registry_today

    client.force_login(auditor)
    day = registry_today().isoformat()
    for name, stem in (
        ("conditions:waiver_export", "waivers"),
        ("reports:enforcement_csv", "enforcement"),
        ("history:changes_csv", "change-log"),
    ):
        response = client.get(reverse(name))
        assert response["Content-Disposition"] == f'attachment; filename="{stem}-{day}.csv"', name
