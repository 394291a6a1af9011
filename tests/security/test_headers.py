"""Content Security Policy without inline script or style, and the other security headers."""

import re

import pytest
from django.urls import reverse

HTML_PAGES = ["login", "api-docs"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HTML_PAGES)
def test_security_headers_on_pages(client, auditor, name):
    client.force_login(auditor)
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_api_responses_carry_the_headers_too(client, auditor):
    client.force_login(auditor)
    response = client.get("/api/v1/partners/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert "<style" not in html.lower()
    assert not re.search(r"<[^>]+\sstyle\s*=", html, re.I)
    assert not INLINE_HANDLER.search(html)


@pytest.mark.django_db
def test_api_docs_page_has_no_inline_code_and_its_script_is_a_file(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("api-docs"))
    html = response.content.decode()
    assert_no_inline_code(html)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/partners/", "/history/"])
def test_pages_have_no_inline_code(client, auditor, path):
    client.force_login(auditor)
    response = client.get(path)
    assert response.status_code == 200
    assert_no_inline_code(response.content.decode())
