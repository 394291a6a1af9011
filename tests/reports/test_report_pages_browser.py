"""The report and import pages in a real browser: axe-core finds no WCAG 2.1 AA violation."""

import pytest

from tests.browser import conftest as browser_setup
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.imports import conftest as import_setup
from tests.imports.test_importing import five_bad_rows, to_csv

# The browser set-up lives in tests/browser/conftest.py; these names make its fixtures
# (and the import tests' provision) available here.
browser = browser_setup.browser
page = browser_setup.page
_rows_made_by_migrations = browser_setup._rows_made_by_migrations
leahy = import_setup.leahy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_access_and_industrial_pages_are_accessible(page, auditor, industrial_data):
    sign_in(page, "auditor")
    page.goto(page.base + "/reports/access/?as_of=2024-01-01")
    page.wait_for_selector("text=Japan (JPN)")  # a row of counts; references are in the CSV
    assert_accessible(page)
    screenshot(page, "report_access")
    page.goto(page.base + "/reports/industrial-base/")
    page.wait_for_selector("text=31-33 Manufacturing")
    assert_accessible(page)
    screenshot(page, "report_industrial_base")


def test_enforcement_page_is_accessible(page, auditor, enforcement_data):
    sign_in(page, "auditor")
    page.goto(page.base + "/reports/enforcement/?year_from=2023&year_to=2025&as_of=2025-06-30")
    page.wait_for_selector("text=37.90%")
    assert_accessible(page)
    screenshot(page, "report_enforcement")
    page.goto(page.base + "/reports/enforcement/?year_from=2025&year_to=2020")
    page.wait_for_selector("text=The last year comes before the first.")
    assert_accessible(page)


def test_import_pages_are_accessible(page, editor, leahy, tmp_path):
    sign_in(page, "editor")
    page.goto(page.base + "/import/")
    assert_accessible(page)
    path = tmp_path / "bad.csv"
    path.write_text(to_csv(five_bad_rows()))
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Check the file')")
    page.wait_for_selector("text=nothing was saved")
    assert_accessible(page)
    screenshot(page, "import_check")
