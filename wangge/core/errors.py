"""Domain errors that services raise; pages and the API turn them into Chinese messages."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    status_code = 422


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


def error_text(exc: Exception) -> str:
    """What a page shows for a refused input: a domain error's message, or Django's
    ValidationError messages joined. Anything else is a bug and is raised again."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    raise exc
