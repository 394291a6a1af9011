"""Every create and edit page, posted hostile values in every field as an editor: never a 500.

The HTML counterpart of the API's schemathesis run (issue 13 item 3). Each page is first read
for the values it offers (an edit page's form holds a valid record); then every field in turn
gets each hostile value while the others stay valid, so the value reaches the service too;
last, every field at once gets each value.
"""

import datetime

from django.urls import reverse

from core.web.access import EDITOR
from tests.web.test_url_walk import _kwargs, _role, all_pages

# Each field in turn, the others valid: these reach the service when the form lets them by.
HOSTILE = (
    "9999-12-31",
    "0001-01-01",
    "2024-13-45",
    "99999999999999999999999",
    "-1",
    "NaN",
    "1e309",
    "x" * 30_000,
    "a\x00b",
    "",
)
# Every field at once.
TOGETHER = (
    "1899-12-31",
    "2201-01-01",
    "2026-1-1",
    "-9223372036854775809",
    "Infinity",
    "0",
    "1.5",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "\u202e",
)


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return None if value is None else str(getattr(value, "pk", value))


def _offered(response) -> dict:
    """The POST a browser would send for the page as shown: every form's current values."""
    context = response.context
    forms = [context["form"]] if context.get("form") is not None else []
    data = {}
    for formset in (context.get("formsets") or {}).values():
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            value = _value(bound.value())
            if value is not None:
                data[bound.html_name] = value
    return data


def _fields(data: dict) -> list[str]:
    management = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    return [name for name in data if not name.endswith(management)]


def _post(client, url, data):
    try:
        return client.post(url, data).status_code
    except Exception as error:  # noqa: BLE001 (the test client re-raises a view's error)
        return f"{type(error).__name__}: {str(error)[:120]}"


def _form_pages():
    for name, pattern in all_pages():
        if _role(pattern) == EDITOR and name.endswith(("_create", "_update")):
            yield name, pattern


def test_the_walk_finds_the_form_pages():
    names = {name for name, _ in _form_pages()}
    assert {"partners:partner_update", "conditions:waiver_create"} <= names
    assert {"conditions:review_create", "agreements:agreement_create"} <= names


def test_no_form_answers_500_to_hostile_values(client, world, editor):
    client.force_login(editor)
    failures = []
    for name, pattern in _form_pages():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        response = client.get(url)
        assert response.status_code == 200, name
        offered = _offered(response)
        fields = _fields(offered)
        for field in fields:
            for value in HOSTILE:
                status = _post(client, url, {**offered, field: value})
                if not isinstance(status, int) or status >= 500:
                    failures.append((name, field, value[:30], status))
                elif status == 302:  # saved: the next post starts from the new version
                    offered = _offered(client.get(url)) if "_update" in name else offered
        for value in (*HOSTILE, *TOGETHER):
            status = _post(client, url, {**offered, **dict.fromkeys(fields, value)})
            if not isinstance(status, int) or status >= 500:
                failures.append((name, "every field", value[:30], status))
    assert not failures, "\n".join(map(str, failures))
