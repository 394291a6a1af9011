"""API error handling: 400s name the field (nested ones as `participants[1].role`), stale edits 412.

Whatever a client sends, the answer is a 4xx with a body that says what to fix, never a 500.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.domain import StaleObjectError

logger = logging.getLogger(__name__)


def validation_error_detail(error: DjangoValidationError) -> dict:
    """A Django ValidationError as the API's {field: [messages]} body."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def flatten_errors(detail, prefix: str = "") -> dict:
    """DRF's nested error structure as flat keys: {"participants[1].cost_share_percent": [...]}."""
    if isinstance(detail, dict):
        flat: dict = {}
        for key, value in detail.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif prefix:
                name = prefix if key == "non_field_errors" else f"{prefix}.{key}"
            else:
                name = str(key)
            for sub_key, messages in flatten_errors(value, name).items():
                flat.setdefault(sub_key, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if not item:
                continue
            name = f"{prefix}[{index}]" if isinstance(item, dict) else prefix
            for sub_key, messages in flatten_errors(item, name).items():
                flat.setdefault(sub_key, []).extend(messages)
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_error_detail(exc))
    if isinstance(exc, StaleObjectError):
        return Response(
            {"non_field_errors": [str(exc)], "version": exc.current_version},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, IntegrityError | DataError):
        # A race past the service's checks (two writers, one unique name) or a value the
        # database refuses: the client's data, so a 400, and the transaction was rolled back.
        logger.warning("Database refused an API write: %s", exc)
        exc = ValidationError({"non_field_errors": ["The database refused this change."]})
    if isinstance(exc, ValidationError):
        exc = ValidationError(flatten_errors(exc.detail))
    return drf_exception_handler(exc, context)
