"""Report pages tell the truth in people's words: charts largest first, naming what they leave
out; labels, not codes (issue 15)."""

import datetime

import pycountry
import pytest
from django.urls import reverse

from registry.reports.views import CHART_MAX_BARS, bar_chart
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    DesignationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def test_chart_keeps_the_largest_and_names_what_it_leaves_out():
    items = [(f"Partner {n:02d}", n % 7) for n in range(30)]
    items += [("United Kingdom", 40), ("United States", 50)]
    chart = bar_chart(items)
    labels = [b["label"] for b in chart["bars"]]
    assert labels[:2] == ["United States", "United Kingdom"]  # largest first, never dropped
    assert (chart["shown"], chart["total"], chart["omitted"]) == (CHART_MAX_BARS, 32, 12)
    values = [float(b["value"]) for b in chart["bars"]]
    assert values == sorted(values, reverse=True)


def test_access_page_shows_labels_and_the_charts_omissions(client, auditor):
    codes = [country.alpha_3 for country in pycountry.countries][: CHART_MAX_BARS + 3]
    for n, code in enumerate(codes):
        partner = CountryFactory(name=f"Country {n:02d}", iso3=code)
        ParticipantFactory(
            agreement=AgreementFactory(agreement_type="co_production"), partner=partner
        )
    DesignationFactory(partner=partner, category="five_eyes", valid_from=datetime.date(2000, 1, 1))
    client.force_login(auditor)
    html = client.get(reverse("reports:access")).content.decode()
    assert "Co-production" in html and "co_production" not in html
    assert "Five Eyes" in html and "five_eyes" not in html
    assert f"the {CHART_MAX_BARS} largest of {CHART_MAX_BARS + 3} (3 left out" in html


def test_a_chart_draws_no_zero_bars():
    chart = bar_chart([("Japan", 3), ("Chad", 0), ("Peru", 0), ("Israel", 1)])
    assert [b["label"] for b in chart["bars"]] == ["Japan", "Israel"]
    assert (chart["shown"], chart["total"], chart["omitted"], chart["zeros"]) == (2, 4, 2, 2)
