"""The thin layer every page view stands on, so that a view only parses, calls one service and
shows the result:

- `AuthedRequest`: the request of a signed-in page (or of an API handler behind the API's
  authentication), whose `.user` is the project's User;
- `DomainErrorMiddleware`: a domain error a view lets through becomes the one answer for its
  kind — a page with its message and status (404, 403, 409, 422), or `{"detail": …}` for a
  view marked `@answers_json` and on API paths;
- `flash_refusal`: a POST that redirects whatever happens shows the reason on the page it lands on;
- `Refusal`: a form page shown again (422) with the reason at the input it is about, and
  `cleaned` for a page that draws its own fields but reads them through a Django form;
- `download`: a spreadsheet, PDF or CSV as an attachment;
- `revealed`: the clear value an audited reveal service gave, for the page's 查看 or 拨打电话.

Core sits below accounts: User is named for the type checker only."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

from wangge.core.error_pages import error
from wangge.core.errors import DomainError, NotFound, ValidationFailed, error_text, json_error

if TYPE_CHECKING:
    from wangge.accounts.models import User


class AuthedRequest(HttpRequest):
    """The request of a view behind `login_required`: its user is signed in and is ours."""

    user: "User"


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def answers_json(view: ViewFunc) -> ViewFunc:
    """Marks a page endpoint that scripts call (拨打电话, 查看): its domain errors are answered
    as the API answers them, `{"detail": …}` with the error's status."""
    view.answers_json = True  # type: ignore[attr-defined]
    return view


def _titles() -> dict[int, str]:
    return {
        403: _("无权访问"),
        404: _("页面不存在"),
        409: _("操作未完成"),
        422: _("输入有误"),
    }


def domain_error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    match = request.resolver_match
    if match is not None and getattr(match.func, "answers_json", False):
        return json_error(exc)
    title = _titles().get(exc.status_code, _("无法处理该请求"))
    return error(request, exc.status_code, exc.message, title, exc.message)


class DomainErrorMiddleware:
    """The one mapping from a domain error a page view did not handle to its answer, so views
    write neither `except NotFound: raise Http404` nor a 403 of their own. A transaction the view
    opened has already been rolled back when this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None


@contextmanager
def flash_refusal(request: HttpRequest, *kinds: type[DomainError]) -> Iterator[None]:
    """For a POST that redirects whether or not it was done: a refused write's reason becomes an
    error message on the page it lands on, and the lines after it in the block do not run.
    What the URL names not being there (NotFound) still answers 404, and so does any kind of
    error outside `kinds` (all domain errors when none are named)."""
    caught: tuple[type[DomainError], ...] = kinds or (DomainError,)
    try:
        yield
    except NotFound:
        raise
    except caught as exc:
        messages.error(request, exc.message)


class Refusal:
    """For a page that shows its form again when the write is refused:

        with Refusal(form) as refusal:
            services.thing_create(...)
            return redirect(...)
        return render(..., status=refusal.status)

    The reason goes to the form (at its input when the error names one the form has) and is kept
    in `.message` for pages that show it themselves. Django's ValidationError (a model's own
    check) is taken as a domain error's message is. Anything else is raised again."""

    def __init__(
        self, form: forms.BaseForm | None = None, *, fields: Iterable[str] | None = None
    ) -> None:
        self.form = form
        # The inputs an error may sit at: the form's, or fewer where the page shows only some
        # of them (none: every reason on top of the form).
        if fields is None:
            fields = form.fields if form is not None else ()
        self.fields = set(fields)
        self.message = ""
        self.field = ""

    def __enter__(self) -> "Refusal":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, DomainError | ValidationError):
            return False
        self.message = error_text(exc)
        self.field = getattr(exc, "field", "")
        if self.form is not None:
            where = self.field if self.field in self.fields else None
            # A model's own check may have several messages: each is shown.
            shown = exc.messages if isinstance(exc, ValidationError) else self.message
            self.form.add_error(where, shown)
        return True

    def __bool__(self) -> bool:
        return bool(self.message)

    def at(self, field: str) -> str:
        """The reason, if it is about this input (a page that shows it there)."""
        return self.message if self.field == field else ""

    def besides(self, field: str) -> str:
        """The reason, unless it is about this input (shown on top of the form)."""
        return "" if self.field == field else self.message

    def by_field(self, *fields: str) -> dict[str, str]:
        """For a page that draws its own fields: the reason under the input it names when the
        page has it (`errors.name` in the template), else under `errors.top`."""
        if not self:
            return {}
        return {self.field if self.field in fields else "top": self.message}

    @property
    def status(self) -> int:
        return 422 if self else 200


def cleaned(form: forms.BaseForm) -> dict[str, Any]:
    """The form's values, or its first error raised as a refusal (at its input), for a page that
    draws its own fields and shows one reason: `with Refusal(): d = cleaned(XForm(post))`."""
    if form.is_valid():
        return form.cleaned_data
    field, errors = next(iter(form.errors.items()))
    raise ValidationFailed(str(errors[0]), field="" if field == "__all__" else field)


class RevealForm(forms.Form):
    """Why the worker asks for the clear value; the page's own reason when it gives none."""

    purpose = forms.CharField(required=False, strip=False)


def revealed(
    request: HttpRequest, reveal: Callable[..., str], *, purpose: str, key: str = "value"
) -> JsonResponse:
    """The one answer of a page endpoint that reveals personal data: `reveal` is the audited
    service with its actor and record already bound (it checks the role and writes the
    audit row); it is given the purpose posted (else `purpose`) and the caller's address."""
    d = cleaned(RevealForm(request.POST))
    value = reveal(purpose=d["purpose"] or purpose, ip=request.META.get("REMOTE_ADDR"))
    return JsonResponse({key: value})


_KINDS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def download(content: bytes, filename: str, *, kind: Literal["xlsx", "pdf", "csv"]) -> HttpResponse:
    """A file the browser saves under `filename`; a Chinese name is sent as RFC 5987
    `filename*`, which every browser in use reads."""
    response = HttpResponse(content, content_type=_KINDS[kind])
    if filename.isascii():
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
