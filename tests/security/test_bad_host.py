"""An unknown Host header answers 400 on every path, never 500 (issue 25, item 7)."""

import pytest

PATHS = ["/", "/partners/", "/api/v1/partners/", "/admin/login/", "/accounts/login/", "/nope/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_host_is_a_400(client, path, method):
    client.raise_request_exception = False
    response = getattr(client, method)(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Traceback" not in response.content
