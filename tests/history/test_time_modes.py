"""Two questions of time on detail pages: "in effect on D" (`?on=`) and "as recorded on D"
(`?as_of=`), both named in words, both with names and labels like the live page."""

import datetime

import pytest

from agreements.models import Agreement, AgreementParticipant
from conditions.services import waiver_record
from core.registry_day import registry_today
from partners.models import PartnerDesignation
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    DesignationFactory,
    ParticipantFactory,
    waiver_fields,
)
from tests.history.test_as_of import _backdate_everything_so_far

pytestmark = pytest.mark.django_db

TODAY = registry_today()
D = datetime.date


def test_as_recorded_shows_labels_and_names_not_codes_and_ids(client, auditor):
    korea = CountryFactory(name="Republic of Korea", iso3="KOR")
    DesignationFactory(partner=korea, category=PartnerDesignation.Category.MNNA)
    participant = ParticipantFactory(
        agreement=AgreementFactory(title="Counter-drone co-development"),
        partner=korea,
        role=AgreementParticipant.Role.LEAD,
    )
    _backdate_everything_so_far(10)
    client.force_login(auditor)
    day = (TODAY - datetime.timedelta(days=5)).isoformat()
    response = client.get(f"/agreements/{participant.agreement_id}/", {"as_of": day})
    html = response.content.decode()
    assert response.status_code == 200
    assert "as recorded on" in html and "As recorded on that day" in html
    assert "Co-development" in html and "co_development" not in html
    assert "Republic of Korea" in html and f"Partner {korea.pk}" not in html
    assert "Lead" in html
    assert str(PartnerDesignation.Category.MNNA.label) in html


def test_a_waiver_in_effect_before_the_registry_recorded_it(client, auditor, editor):
    """/conditions/N/?as_of=2025-01-01 no longer just says "did not exist": it says when the
    record was first recorded and links to what was in effect that day."""
    condition = ConditionFactory(title="Unit review")
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            signed_on=D(2024, 12, 20), effective_on=D(2024, 12, 20), expires_on=D(2025, 6, 30)
        ),
    )
    client.force_login(auditor)
    recorded = client.get(f"/conditions/{condition.pk}/", {"as_of": "2025-01-01"})
    html = recorded.content.decode()
    assert recorded.status_code == 404
    assert "Not yet recorded on January 1, 2025" in html
    assert f"first recorded on {TODAY:%B} {TODAY.day}, {TODAY.year}" in html
    assert f"/conditions/{condition.pk}/?on=2025-01-01" in html

    in_effect = client.get(f"/conditions/{condition.pk}/", {"on": "2025-01-01"})
    html = in_effect.content.decode()
    assert in_effect.status_code == 200
    assert "In effect on January 1, 2025" in html
    assert "In effect on Jan 1, 2025</span>" in html  # the entry's tag
    assert "Yes, by 1 waiver chain in effect" in html
    later = client.get(f"/conditions/{condition.pk}/", {"on": "2025-07-01"}).content.decode()
    assert "No waiver in effect" in later


def test_agreement_in_effect_on_a_day_reads_participants_and_categories(client, auditor):
    agreement = AgreementFactory(
        signed_on=D(2019, 5, 1), entry_into_force_on=D(2019, 6, 1), expires_on=D(2030, 1, 1)
    )
    country = CountryFactory(name="Kingdom of Examplia")
    DesignationFactory(
        partner=country,
        category=PartnerDesignation.Category.MNNA,
        valid_from=D(2018, 1, 1),
        valid_to=D(2022, 12, 31),
    )
    ParticipantFactory(
        agreement=agreement, partner=country, joined_on=D(2020, 1, 1), withdrawn_on=D(2023, 3, 1)
    )
    client.force_login(auditor)

    def row(day):
        html = client.get(f"/agreements/{agreement.pk}/", {"on": day}).content.decode()
        return html.split("Kingdom of Examplia</a>", 1)[1].split("</tr>", 1)[0], html

    during, html = row("2021-06-01")
    assert "Taking part" in during and str(PartnerDesignation.Category.MNNA.label) in during
    assert "In force on Jun 1, 2021</dt><dd>Yes" in html
    after, _ = row("2024-01-01")
    assert "Withdrawn" in after and str(PartnerDesignation.Category.MNNA.label) not in after
    before, html = row("2019-01-01")
    assert "Not yet joined" in before
    assert "In force on Jan 1, 2019</dt><dd>No" in html
    assert Agreement.objects.in_force_on(D(2019, 1, 1)).count() == 0


def test_partner_in_effect_on_a_day_marks_the_categories_held(client, auditor):
    country = CountryFactory(name="Examplia")
    DesignationFactory(partner=country, valid_from=D(2000, 1, 1), valid_to=D(2010, 12, 31))
    client.force_login(auditor)
    then = client.get(f"/partners/{country.pk}/", {"on": "2005-01-01"}).content.decode()
    now = client.get(f"/partners/{country.pk}/").content.decode()
    assert "<td>Held</td>" in then and "<td>Not held</td>" in now
    assert "<strong>In effect on January 1, 2005:</strong>" in then
    assert "<strong>In effect on" not in now


def test_the_date_control_answers_with_the_address_of_its_question(client, auditor):
    condition = ConditionFactory()
    client.force_login(auditor)
    url = f"/conditions/{condition.pk}/"
    recorded = client.get(url, {"mode": "recorded", "day": "2025-01-01"})
    assert recorded.status_code == 302 and recorded.url == f"{url}?as_of=2025-01-01"
    in_effect = client.get(url, {"mode": "in_effect", "day": "2025-01-01"})
    assert in_effect.status_code == 302 and in_effect.url == f"{url}?on=2025-01-01"
    page = client.get(url).content.decode()
    assert "In effect on that day" in page and "As recorded on that day" in page


def test_a_bad_day_is_a_clear_400_naming_the_day(client, auditor):
    condition = ConditionFactory()
    client.force_login(auditor)
    response = client.get(f"/conditions/{condition.pk}/", {"on": "2025-02-30"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
