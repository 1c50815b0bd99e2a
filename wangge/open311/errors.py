"""The errors GeoReport v2 names, each with its HTTP status; views render them in the spec's
error format."""


class Open311Error(Exception):
    status = 400

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class BadRequest(Open311Error):
    status = 400


class BadApiKey(Open311Error):
    status = 403


class NotFound(Open311Error):
    status = 404


class MethodNotAllowed(Open311Error):
    status = 405
