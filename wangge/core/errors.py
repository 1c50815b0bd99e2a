"""Domain errors that services raise; pages and the API turn them into Chinese messages."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    status_code = 422

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        # The input the message is about, when there is one: a page shows it at that field.
        self.field = field


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


def error_text(exc: Exception) -> str:
    """What a page shows for a refused input: a domain error's message, or Django's
    ValidationError messages joined. Anything else is a bug and is raised again."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    raise exc


def json_error(exc: DomainError) -> JsonResponse:
    """The API's `{"detail": …}` answer, for the few page endpoints that scripts call (拨打电话,
    查看): the same shape and status as the API, in readable Chinese."""
    return JsonResponse(
        {"detail": exc.message}, status=exc.status_code, json_dumps_params={"ensure_ascii": False}
    )
