"""The API's settings: REST framework, tokens, the OpenAPI document; read by base.py."""

import environ

env = environ.Env()

# Proxies in front of the application that append to X-Forwarded-For; 0: trust no header.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.auth.TokenAuthentication",  # one 401 for every bad token
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.roles.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["drf_orjson_renderer.parsers.ORJSONParser"],
    # `?search=` is a filter of each app's FilterSet (shared with the HTML lists), so no
    # SearchFilter; unknown `?ordering=` fields are a 400 (core/api/base.py).
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Per token (user) and per client address; 429 with Retry-After (docs/decisions/0013).
    "DEFAULT_THROTTLE_CLASSES": ["core.security.RequestRateThrottle"],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "user": env("THROTTLE_RATE_USER", default="600/minute"),
        "address": env("THROTTLE_RATE_ADDRESS", default="1200/minute"),
    },
}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": None,  # issue_token sets each token's expiry explicitly
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Defense technology cooperation registry API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its documentation page are for signed-in readers (docs/decisions/0005).
    "SERVE_PERMISSIONS": ["core.roles.RolePermission"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConditionStatusEnum": "conditions.models.ConditionStatus",
        "AgreementStatusEnum": "agreements.models.Agreement.Status",
        "ActStatusEnum": "agreements.models.Act.Status",
        "ProvisionStatusEnum": "agreements.models.Provision.Status",
        "FlagStatusEnum": "conditions.models.Flag.Status",
        "FlagKindEnum": "conditions.models.Flag.Kind",
        "PartnerKindEnum": "partners.models.Partner.Kind",
        "ActKindEnum": "agreements.models.Act.Kind",
        "SourceKindEnum": "conditions.models.SourceDocument.Kind",
        "ParticipantRoleEnum": "agreements.models.AgreementParticipant.Role",
        "LegalBasisRoleEnum": "agreements.models.LegalBasis.Role",
        "WebhookSubscriptionStatusEnum": "registry.models.WebhookSubscription.Status",
    },
}
