"""Every page type on the demo data, at 1280 px and at 375 px (issue 15 items 2 and 8).

On each page: axe finds no WCAG 2.1 A/AA violation; at 375 px nothing scrolls sideways; at
1280 px every key column (`<th class="app-key">`: a record's name, a waiver's expiry and
amount, the enforcement report's amounts) lies inside the visible part of its table's box.
One browser, one sign-in per width; every problem is collected, then reported at once.
"""

import pytest
from django.core.management import call_command

from agreements.models import Act, Agreement, Provision, TechnologyArea
from conditions.models import Condition
from conditions.services.scan import scan_conditions
from core.registry_day import registry_today
from partners.models import Partner
from tests.browser import conftest as browser_setup
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.factories import UserFactory

browser = browser_setup.browser
page = browser_setup.page
_rows_made_by_migrations = browser_setup._rows_made_by_migrations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The pages pictured in docs/screenshots/demo_<name>.png (README "Screenshots").
SCREENSHOTS = {
    "dashboard",
    "waiver_history",
    "condition_detail",
    "point_in_time",
    "flag_list",
    "change_log",
    "report_access",
    "report_industrial_base",
    "report_enforcement",
    "report_case_act",
}
# Pages whose tables must mark their key columns; the rest may have no table at all.
TABLE_PAGES = ("list", "waivers", "flags", "changes", "history", "report")

KEY_COLUMNS_OUT_OF_VIEW = """() => {
  const out = [];
  for (const th of document.querySelectorAll("th.app-key")) {
    const box = th.closest(".app-table-wrap") || document.documentElement;
    const cell = th.getBoundingClientRect();
    const seen = box.getBoundingClientRect();
    const right = Math.min(seen.right, window.innerWidth);
    if (cell.width === 0) continue;  // a column the reader chose to hide is not one
    if (cell.left < seen.left - 1 || cell.right > right + 1) {
      out.push(`${th.textContent.trim()} at ${Math.round(cell.left)}-${Math.round(cell.right)}`
        + ` outside ${Math.round(seen.left)}-${Math.round(right)}`);
    }
  }
  return out;
}"""

# The innermost elements that stick out past the screen's right edge, to name in a failure.
WIDER_THAN_SCREEN = """() => {
  const over = (el) => el.getBoundingClientRect().right > innerWidth + 1;
  return Array.from(document.querySelectorAll("main *"))
    .filter((el) => over(el) && !el.closest(".app-table-wrap, pre"))
    .filter((el) => !Array.from(el.children).some(over))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.slice(0, 40)}`);
}"""

TABLE_WIDTHS = """() => Array.from(document.querySelectorAll(".app-table-wrap"), (box) =>
  `${box.scrollWidth} in ${box.clientWidth}`)"""


def demo_registry() -> dict:
    """The demo data set, its flags, and the pages that show one record of each kind."""
    call_command("seed_demo")
    scan_conditions(today=registry_today())
    UserFactory(username="admin", role="admin")
    partner = Partner.objects.order_by("pk").first()
    act = Act.objects.order_by("pk").first()
    provision = Provision.objects.order_by("pk").first()
    area = TechnologyArea.objects.order_by("pk").first()
    agreement = Agreement.objects.order_by("pk").first()
    condition = Condition.objects.filter(waiver_entries__isnull=False).order_by("pk").first()
    today = registry_today().isoformat()  # the demo data is entered today
    return {
        "dashboard": ("other", "/"),
        "partner_list": ("list", "/partners/"),
        "partner_detail": ("other", f"/partners/{partner.pk}/"),
        "partner_edit": ("other", f"/partners/{partner.pk}/edit/"),
        "partner_new": ("other", "/partners/new/"),
        "act_list": ("list", "/acts/"),
        "act_detail": ("other", f"/acts/{act.pk}/"),
        "act_edit": ("other", f"/acts/{act.pk}/edit/"),
        "provision_list": ("list", "/provisions/"),
        "provision_detail": ("other", f"/provisions/{provision.pk}/"),
        "provision_edit": ("other", f"/provisions/{provision.pk}/edit/"),
        "technology_area_list": ("list", "/technology-areas/"),
        "technology_area_detail": ("other", f"/technology-areas/{area.pk}/"),
        "technology_area_edit": ("other", f"/technology-areas/{area.pk}/edit/"),
        "agreement_list": ("list", "/agreements/"),
        "agreement_detail": ("other", f"/agreements/{agreement.pk}/"),
        "agreement_edit": ("other", f"/agreements/{agreement.pk}/edit/"),
        "agreement_new": ("other", "/agreements/new/"),
        "condition_list": ("list", "/conditions/"),
        "condition_detail": ("other", f"/conditions/{condition.pk}/"),
        "condition_edit": ("other", f"/conditions/{condition.pk}/edit/"),
        "waiver_new": ("other", f"/conditions/{condition.pk}/waivers/new/"),
        "waiver_history": ("waivers", "/waivers/"),
        "flag_list": ("flags", "/flags/"),
        "change_log": ("changes", "/history/"),
        "object_history": ("history", f"/history/agreements.agreement/{agreement.pk}/"),
        "point_in_time": ("other", f"/agreements/{agreement.pk}/?as_of={today}"),
        "report_access": ("report", "/reports/access/"),
        "report_industrial_base": ("report", "/reports/industrial-base/"),
        "report_enforcement": ("report", "/reports/enforcement/"),
        "report_case_act": ("other", "/reports/case-act/"),
        "import": ("other", "/import/"),
    }


def problems_on(page, name: str, kind: str, width: int) -> list[str]:
    """What is wrong with the page showing now; an empty list when nothing is."""
    problems = []
    try:
        assert_accessible(page)
    except AssertionError as error:
        problems.append(f"axe: {str(error).splitlines()[0:3]}")
    if width < 640:
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if scroll > inner:
            wide = page.evaluate(WIDER_THAN_SCREEN)
            problems.append(f"scrolls sideways: {scroll} px wide in {inner}: {wide}")
    else:
        out = page.evaluate(KEY_COLUMNS_OUT_OF_VIEW)
        problems += [f"key column out of view: {where}" for where in out]
        if kind in TABLE_PAGES and not page.locator("th.app-key").count():
            problems.append("no key column marked (th.app-key)")
    return [f"{name} at {width} px: {p}" for p in problems]


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_fits_and_is_accessible(page, width):
    pages = demo_registry()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "admin")
    problems = []
    for name, (kind, path) in pages.items():
        response = page.goto(page.base + path)
        assert response.status == 200, f"{path}: {response.status}"
        problems += problems_on(page, name, kind, width)
        widths = page.evaluate(TABLE_WIDTHS)
        print(
            f"{width} {name}: page {page.evaluate('document.documentElement.scrollWidth')}"
            f" px, tables {widths}"
        )
        if width == 1280 and name in SCREENSHOTS:
            screenshot(page, f"demo_{name}")
    assert not problems, "\n".join(problems)
