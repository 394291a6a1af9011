"""Authentication (knox tokens, sessions with CSRF), roles, and the schema/docs pages."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from conditions.models import Flag
from conditions.services import waiver_record
from config.api_router import router
from tests.api.conftest import token_client
from tests.factories import (
    ActFactory,
    AgreementFactory,
    ConditionFactory,
    PartnerFactory,
    ProvisionFactory,
    UserFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db


def test_token_is_hashed_at_rest_and_works(editor):
    instance, key = AuthToken.objects.create(editor, expiry=datetime.timedelta(days=90))
    assert key not in {instance.digest, instance.token_key}
    assert not AuthToken.objects.filter(digest=key).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/partners/").status_code == 200


def test_expired_and_revoked_tokens_are_401(editor):
    instance, key = AuthToken.objects.create(editor, expiry=datetime.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/partners/").status_code == 200
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    assert client.get("/api/v1/partners/").status_code == 401
    instance, key = AuthToken.objects.create(editor, expiry=datetime.timedelta(days=1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    instance.delete()  # revoked
    assert client.get("/api/v1/partners/").status_code == 401


def test_no_or_bad_credentials_are_401_with_challenge(anon_api):
    response = anon_api.get("/api/v1/agreements/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    anon_api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert anon_api.get("/api/v1/agreements/").status_code == 401


def test_user_without_role_is_403(db):
    client = token_client(UserFactory(username="nobody"))
    assert client.get("/api/v1/partners/").status_code == 403


def test_session_needs_csrf_for_writes(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get("/api/v1/partners/").status_code == 200
    body = '{"name": "Acme", "kind": "company"}'
    refused = client.post("/api/v1/partners/", body, content_type="application/json")
    assert refused.status_code == 403
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/partners/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content


def test_schema_and_docs_need_a_reader_and_work_offline(anon_api, auditor_api):
    assert anon_api.get("/api/schema/").status_code == 401
    schema = auditor_api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    partner = document["components"]["schemas"]["Partner"]["properties"]
    assert {"id", "name", "kind", "iso3", "parent", "designations", "version"} <= set(partner)
    params = {p["name"] for p in document["paths"]["/api/v1/waivers/"]["get"]["parameters"]}
    assert {"condition", "partner", "authority", "standard", "action", "publicity"} <= params
    assert {"signed_after", "signed_before", "official_title", "search", "ordering"} <= params
    assert {"cursor", "page_size"} <= params
    docs = auditor_api.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn." not in html and "unpkg" not in html


def _records(editor):
    condition = ConditionFactory()
    entry = waiver_record(condition=condition, actor=editor, **waiver_fields())
    return {
        "partner": PartnerFactory(),
        "act": ActFactory(),
        "provision": ProvisionFactory(),
        "technology-area": apps.get_model("agreements", "TechnologyArea").objects.first(),
        "agreement": AgreementFactory(),
        "condition": condition,
        "waiver": entry,
        "flag": Flag.objects.create(condition=condition, kind="review_overdue"),
    }


def _snapshot():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("partners", "agreements", "conditions"):
            queryset = model.objects.all()
            rows[model._meta.label] = sorted(
                (o.pk, getattr(o, "version", None), getattr(o, "status", None)) for o in queryset
            )
    return rows


def test_auditor_cannot_change_anything_through_any_route(editor, auditor_api):
    records = _records(editor)
    before = _snapshot()
    walked = 0
    for prefix, viewset, basename in router.registry:
        obj = records.get(basename)
        for route in router.get_routes(viewset):
            for method, action in route.mapping.items():
                if method in ("get", "head", "options") or not hasattr(viewset, action):
                    continue
                name = route.name.format(basename=basename)
                kwargs = {"pk": obj.pk if obj else 1} if "{lookup}" in route.url else {}
                url = reverse(name, kwargs=kwargs)
                for verb in ("post", "put", "patch", "delete"):
                    response = getattr(auditor_api, verb)(url, {"title": "x"})
                    assert response.status_code == 403, (verb, url, response.status_code)
                    walked += 1
    assert walked >= 40
    assert _snapshot() == before
