"""The "Columns" disclosure of list pages (core/templatetags/table_columns.py, issue 15 item 2)."""

import re

import pytest
from django.urls import reverse

from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db
WAIVERS = reverse("conditions:waiver_list")


def chooser(html: str) -> str:
    return re.search(r'<details class="app-columns.*?</details>', html, re.S).group(0)


def hidden_positions(html: str) -> set[int]:
    classes = re.search(r'<details class="app-columns([^"]*)"', html).group(1)
    return {int(n) for n in re.findall(r"app-hide-(\d+)", classes)}


def test_waivers_hide_only_the_official_until_asked(client, auditor):
    client.force_login(auditor)
    html = client.get(WAIVERS).content.decode()
    assert hidden_positions(html) == {6}  # Official: hidden=True in WaiverListView.columns
    box = chooser(html)
    assert "Always shown: Entry, Expires, Amount." in box
    assert 'value="official"' in box and 'value="official" checked' not in box
    assert 'value="expires"' not in box  # a key column has no checkbox


def test_the_choice_hides_columns_keeps_the_filters_and_never_hides_a_key(client, auditor):
    client.force_login(auditor)
    html = client.get(WAIVERS + "?action=granted&cols=1&col=partner&page=2").content.decode()
    # Shown: Entry, Partner, Expires, Amount (1, 3, 8, 9); the rest hidden.
    assert hidden_positions(html) == {2, 4, 5, 6, 7, 10}
    box = chooser(html)
    assert '<input type="hidden" name="action" value="granted">' in box
    assert 'name="page"' not in box  # a new set of columns starts at the first page
    assert 'value="partner" checked' in box and 'value="signed" checked' not in box
    filters = re.search(r'<form method="get" class="usa-form app-filter".*?</form>', html, re.S)
    assert '<input type="hidden" name="cols" value="1">' in filters.group(0)
    assert '<input type="hidden" name="col" value="partner">' in filters.group(0)


def test_every_list_page_offers_columns_and_marks_its_key_column(client, editor):
    ConditionFactory()
    client.force_login(editor)
    for name in (
        "partners:partner_list",
        "agreements:act_list",
        "agreements:provision_list",
        "agreements:technology_area_list",
        "agreements:agreement_list",
        "conditions:condition_list",
        "conditions:waiver_list",
        "conditions:flag_list",
    ):
        html = client.get(reverse(name)).content.decode()
        assert "<summary>Columns" in html, name
        assert 'class="app-key"' in html or "app-key" in html, name


def test_a_long_title_is_clamped_with_the_full_text_in_its_title(client, auditor):
    title = "A condition whose title runs on " * 4
    ConditionFactory(title=title.strip())
    client.force_login(auditor)
    html = client.get(reverse("conditions:condition_list")).content.decode()
    assert f'<span class="app-clamp" title="{title.strip()}">{title.strip()}</span>' in html
