"""Deny by default: every page, walked as anonymous, auditor and editor."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.web.access import AUDIT, EDITOR, READER

# Machine endpoints with their own authentication (API tokens) and Django's own pages.
# The passkey library's JSON endpoints check the signed-in user themselves (core/auth).
SKIPPED_PREFIXES = ("admin", "api", "djdt", "accounts/passkeys")
# Sign-in machinery: before sign-in by design (agency sign-in answers 404 when unconfigured).
PUBLIC = {"login", "logout", "agency_sign_in", "oidc_authentication_callback"}


def _walk(patterns, namespace=None, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            if route.lstrip("^").startswith(SKIPPED_PREFIXES):
                continue
            ns = entry.namespace or namespace
            full = f"{namespace}:{ns}" if namespace and entry.namespace else ns
            yield from _walk(entry.url_patterns, full, route)
        elif isinstance(entry, URLPattern):
            if not entry.name or (prefix + str(entry.pattern)).startswith(SKIPPED_PREFIXES):
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name in PUBLIC:
                continue
            yield name, entry


def all_pages():
    return sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0])


def _kwargs(name, pattern, world):
    """Fill in a route's parameters from the world fixture."""
    kwargs = {}
    model_part = name.split(":")[-1].split("_")[0]
    noun = name.split(":")[-1].rpartition("_")[0]  # "end_use_check" of "end_use_check_detail"
    for key in pattern.pattern.converters:
        if key == "pk":
            obj = world.get(noun) or world.get(model_part) or world["partner"]
            kwargs[key] = obj.pk
        elif key.endswith("_pk"):
            kwargs[key] = world[key[: -len("_pk")]].pk
        elif key == "model":
            kwargs[key] = "partners.partner"
            kwargs.setdefault("pk", world["partner"].pk)
        else:
            pytest.fail(f"{name}: the URL walk does not know how to fill `{key}`; add it here.")
    return kwargs


def _role(pattern):
    view = pattern.callback
    view_class = getattr(view, "view_class", None)
    return getattr(view_class or view, "required_role", None)


def test_every_page_declares_its_role():
    undeclared = [
        name for name, pattern in all_pages() if _role(pattern) not in (READER, EDITOR, AUDIT)
    ]
    assert undeclared == []


def test_walk_finds_the_pages_of_every_app():
    names = {name for name, _ in all_pages()}
    for expected in (
        "dashboard",
        "partners:partner_list",
        "agreements:agreement_update",
        "conditions:waiver_export",
        "conditions:flag_resolve",
        "conditions:flag_list",
    ):
        assert expected in names


def test_anonymous_is_sent_to_sign_in_everywhere(client, world):
    login = reverse("login")
    for name, pattern in all_pages():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(login), name


def test_auditor_reads_but_never_reaches_an_editor_page(client, world, auditor):
    client.force_login(auditor)
    for name, pattern in all_pages():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        response = client.get(url)
        if _role(pattern) == EDITOR:
            assert response.status_code == 403, name
            assert client.post(url, {}).status_code == 403, name
        else:
            assert response.status_code == 200, name


def test_editor_reaches_every_page(client, world, editor):
    client.force_login(editor)
    for name, pattern in all_pages():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        response = client.get(url)
        if _role(pattern) == AUDIT:
            assert response.status_code == 403, name
        else:
            # 405: the editor got past the role check to a page that only accepts POST.
            assert response.status_code in (200, 405), name


def test_user_without_a_role_is_refused(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    for name, pattern in all_pages():
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        assert client.get(url).status_code == 403, name


def test_list_pages_show_every_row_when_unfiltered(client, world, auditor):
    client.force_login(auditor)
    for name in (
        "partners:partner_list",
        "agreements:act_list",
        "agreements:provision_list",
        "agreements:agreement_list",
        "conditions:condition_list",
        "conditions:waiver_list",
        "conditions:flag_list",
    ):
        response = client.get(reverse(name))
        assert len(response.context["object_list"]) >= 1, name


# ----- every input answered (issue 13): hostile values for every parameter of every page ---

# Parameters read by some page outside its forms (pagination, sorting, point-in-time, prefill).
COMMON_PARAMETERS = (
    "page",
    "cursor",
    "page_size",
    "sort",
    "as_of",
    "on",
    "mode",
    "day",
    "act",
    "amends",
    "action",
)
# Each of these goes to each parameter on its own: a value that fails one form field would
# hide what another parameter does with its own.
HOSTILE_VALUES = (
    "9999-12-31",
    "0001-01-01",
    "2024-13-45",
    "99999999999999999999999",
    "-9223372036854775809",
    "NaN",
    "1e309",
    "x" * 5000,
    "a\x00b",
    ["1", "2", "9999-12-31"],
)
# These go to every parameter of the page at once.
HOSTILE_TOGETHER = (
    "2026-1-1",
    "20260101",
    "-1",
    "0",
    "1.5",
    "Infinity",
    "",
    " ",
    "' OR 1=1 --",
    "%",
    "<script>alert(1)</script>",
    "\\",
    "\u202e\ufeff",
    "last",
    "-2026-01-01",
)


def _parameters(response, role) -> set[str]:
    """The GET parameters a page reads: its filter forms' fields and the common ones.

    An editor page's form is posted, not read from the query (the form fuzz covers it).
    """
    names = set(COMMON_PARAMETERS)
    if role == EDITOR:
        return names
    for context in response.context or ():
        for value in context.flatten().values() if hasattr(context, "flatten") else ():
            fields = getattr(value, "fields", None)
            if isinstance(fields, dict) and hasattr(value, "is_bound"):
                names.update(fields)
    return names


def _answers(client, url, query) -> int:
    try:
        return client.get(url, query).status_code
    except Exception as error:  # noqa: BLE001 (the test client re-raises a view's error)
        return f"{type(error).__name__}: {str(error)[:120]}"


def test_no_page_answers_500_to_hostile_parameters(client, world, editor, auditor):
    failures = []
    for name, pattern in all_pages():
        # Auditors read the audit pages; the editor reads and writes everything else.
        client.force_login(auditor if _role(pattern) == AUDIT else editor)
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        first = client.get(url)
        if first.status_code == 405:
            continue
        parameters = sorted(_parameters(first, _role(pattern)))
        queries = [{p: value} for p in parameters for value in HOSTILE_VALUES]
        queries += [{p: value for p in parameters} for value in HOSTILE_TOGETHER]
        queries.append({f"{p}[]": "1" for p in parameters})
        for query in queries:
            status = _answers(client, url, query)
            if not isinstance(status, int) or status >= 500:
                failures.append((name, str(query)[:100], status))
    assert not failures, "\n".join(map(str, failures))
