"""API error handling: service ValidationErrors become 400s naming the field; stale edits 412."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.domain import StaleObjectError


def validation_error_detail(error: DjangoValidationError) -> dict:
    """A Django ValidationError as the API's {field: [messages]} body."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_error_detail(exc))
    if isinstance(exc, StaleObjectError):
        return Response(
            {"non_field_errors": [str(exc)], "version": exc.current_version},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    return drf_exception_handler(exc, context)
