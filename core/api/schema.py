"""OpenAPI post-processing: document the error answers and the ETag header of every route."""

import re

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Errors: `{"<field>": ["message", ...]}` (nested items as '
        '`participants[1].cost_share_percent`), `{"non_field_errors": [...]}`, or '
        '`{"detail": "..."}`.'
    ),
    "additionalProperties": True,
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERRORS = {
    "400": "Invalid input; the body names each offending field.",
    "401": "No credentials, or a token that is unknown, expired or revoked.",
    "403": "Signed in, but the role does not allow this (auditors cannot write).",
    "429": "Too many requests; retry after the Retry-After header.",
}
VERSIONED = re.compile(
    r"^/api/v1/(partners|acts|provisions|technology-areas|agreements|conditions)/(\{id\}/)?$"
)
ETAG = {
    "ETag": {
        "description": 'The version of the record, e.g. `"3"`; send it back in If-Match.',
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag the edit is based on; a stale one gets 412 and changes nothing.",
    "schema": {"type": "string"},
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: add 4xx answers, ETag headers and If-Match to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, _error(description))
            # 404: an unknown id, or a list cursor that names no position.
            responses.setdefault("404", _error("No such record or page."))
            for parameter in operation.get("parameters", []):
                _allow_empty_query_value(parameter)
            if method in ("put", "patch"):
                responses.setdefault("412", _error("If-Match named an old version."))
                if VERSIONED.match(path):
                    operation.setdefault("parameters", []).append(IF_MATCH)
            if VERSIONED.match(path) and (method in ("put", "patch", "post") or "{id}" in path):
                for code in ("200", "201"):
                    if code in responses:
                        responses[code]["headers"] = ETAG
    return result


def _allow_empty_query_value(parameter: dict) -> None:
    """`?status=` (empty) means "any", as the HTML filter forms send it; say so in the schema."""
    if parameter.get("in") != "query" or parameter.get("name") in ("ordering", "search", "cursor"):
        return
    schema = parameter.get("schema", {})
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return
    parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
    parameter["description"] = (parameter.get("description", "") + " Empty means any.").strip()


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
