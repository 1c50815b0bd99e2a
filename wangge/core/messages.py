"""django.contrib.messages' middleware with the storage made on first use.

Django's makes a FallbackStorage (a cookie storage and a session storage inside it) for every
request and asks it to store itself after: a small share of a case intake's instructions, for API
calls and pages that never show or leave a message. Here `request._messages` is a lazy object:
the storage is made when a view adds a message or a template reads them, and a request that did
neither has nothing to store, which is what Django's `update()` finds for an untouched storage
anyway. A subclass, so the admin's check for the messages middleware holds."""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        stored = getattr(request, "_messages", None)
        if isinstance(stored, SimpleLazyObject) and stored._wrapped is empty:
            return response  # never added to nor read: nothing to keep for the next page
        return super().process_response(request, response)
