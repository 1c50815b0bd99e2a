"""Uploaded files served only to those allowed to see what they belong to.

Residents' photos (a case's report photos, a visit's, a wish's evidence, a listing's, a post's)
and generated circulars live in the default storage: local disk or S3-compatible object storage
(settings.MEDIA_STORAGE). Nothing there is public. Every link goes to `/media/<name>`, one view
that asks the app owning the file's folder whether the viewer may see the row it belongs to, with
that app's own access rule, and answers 404 otherwise (a file one may not see does not exist).

Apps register their folders in `AppConfig.ready()`, because `core` imports no app of ours:
`media.register("cases", selectors.attachment_visible)`.

How the bytes leave, once the answer is yes:

- local disk and `MEDIA_ACCEL_REDIRECT` set: an empty answer with `X-Accel-Redirect`, and nginx
  sends the file from an `internal` location (no gunicorn worker is held while a phone on a slow
  network downloads a photo);
- local disk without it (`make run`, tests): Django streams the file;
- S3: a redirect to a presigned URL valid `S3_URL_EXPIRE` seconds. Redirecting rather than
  streaming keeps the bytes off our web nodes, and the URL is worthless to anyone it is passed on
  to a few minutes later. The endpoint must therefore be reachable by the residents' browsers.
"""

import mimetypes
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse

# Uploads waiting for their cleaning job (core.images): no app registers this folder, so the view
# below answers 404 for every name in it. Pages show PENDING_PICTURE in their place.
PENDING_FOLDER = "pending"
PENDING_PICTURE = "img/photo_pending.svg"

# (user, stored name) -> may this user see the file? The user is signed in.
MayView = Callable[[Any, str], bool]

_owners: dict[str, MayView] = {}
_token_user: list[Callable[[str], Any]] = []

# Stored names never change (each carries a random token), so a browser may keep what it was
# allowed to see for an hour; `private` keeps shared caches and proxies from storing it.
LOCAL_CACHE_CONTROL = "private, max-age=3600"


def register(folder: str, may_view: MayView) -> None:
    """Files whose stored name starts with `folder/` belong to the registering app, which answers
    for them with `may_view`."""
    _owners[folder] = may_view


def register_token_user(find: Callable[[str], Any]) -> None:
    """How an `Authorization: Bearer` key becomes a user, for API and Open311 clients that follow
    the photo links in the answers they were given (accounts registers its API tokens)."""
    _token_user[:] = [find]


def registered_folders() -> set[str]:
    return set(_owners)


def bearer_user(header: str) -> Any | None:
    if not _token_user or not header.lower().startswith("bearer "):
        return None
    return _token_user[0](header[7:].strip())


def may_view(user: Any, name: str) -> bool:
    if not user.is_authenticated or not name or name.startswith("/"):
        return False
    check = _owners.get(name.split("/", 1)[0])
    return check is not None and check(user, name)


def media_url(file: FieldFile | str) -> str:
    """The link to a stored file: always through the checking view, never the storage's own URL
    (which on S3 would be a signed URL anyone holding the page could pass on)."""
    name = file if isinstance(file, str) else file.name
    if not name:
        return ""
    if is_pending(name):
        return static(PENDING_PICTURE)
    return reverse("media", kwargs={"name": name})


def is_pending(name: str) -> bool:
    return name.startswith(PENDING_FOLDER + "/")


def thumb_url(photo: Any) -> str:
    """A photo row's thumbnail link, or its original's where no thumbnail was made (or the
    placeholder while the photo waits to be cleaned)."""
    thumb = getattr(photo, "thumb", None)
    return media_url(thumb if thumb else photo.image)


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def serve(name: str, *, download_name: str = "") -> HttpResponseBase:
    """The answer that delivers the stored file `name`, once the caller has checked the viewer
    may see it. `download_name` makes it a download under that name (a circular's PDF)."""
    storage = default_storage
    content_type = _content_type(download_name or name)
    if isinstance(storage, FileSystemStorage):
        response: HttpResponseBase
        if settings.MEDIA_ACCEL_REDIRECT:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(name)
            if download_name:
                response["Content-Disposition"] = (
                    f"attachment; filename*=UTF-8''{quote(download_name)}"
                )
        else:
            response = FileResponse(
                storage.open(name, "rb"),
                content_type=content_type,
                as_attachment=bool(download_name),
                filename=download_name,
            )
        response["Cache-Control"] = LOCAL_CACHE_CONTROL
        return response
    parameters = {}
    if download_name:
        parameters = {
            "ResponseContentType": content_type,
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}",
        }
    remote: Any = storage  # S3Storage.url takes the response overrides the signature covers
    redirect = HttpResponseRedirect(remote.url(name, parameters=parameters or None))
    # The browser may reuse the redirect (and so its cached copy of the object) while the signed
    # URL is still valid; a fresh URL every time would defeat every cache.
    redirect["Cache-Control"] = f"private, max-age={max(0, settings.S3_URL_EXPIRE // 2)}"
    return redirect
