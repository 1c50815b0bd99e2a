"""Types for API input that every database accepts."""

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, Field
from pydantic import ValidationError as PydanticError

from wangge.core.dates import check_date, check_datetime
from wangge.core.errors import ValidationFailed

# Times and dates inside the platform's window (wangge.core.dates); a time comes back in UTC.
# Out of the window is a 422 naming the field, never an overflow further down.
ApiDateTime = Annotated[datetime, AfterValidator(check_datetime)]
ApiDate = Annotated[date, AfterValidator(check_date)]


SchemaT = TypeVar("SchemaT", bound=BaseModel)


def validate_body(schema: type[SchemaT], data: dict[str, Any]) -> SchemaT:
    """A JSON body read into its schema, or ValidationFailed naming each wrong field (with our
    own validators' Chinese reason, e.g. a date outside the accepted window)."""
    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        names = []
        for e in exc.errors():
            name = ".".join(str(p) for p in e["loc"])
            if e["type"] == "value_error":
                name += "：" + e["msg"].removeprefix("Value error, ")
            names.append(name)
        fields = "、".join(names)
        raise ValidationFailed(_("请求参数不正确：%(f)s") % {"f": fields}) from exc


# ---------------------------------------------------------------- pages of an API list

# A page of an API list holds at most this many rows: a client asking for more gets a 422
# naming the field rather than a slow answer (the cases and persons lists keep their own caps).
API_PAGE_SIZE_MAX = 100


class PageQuery(BaseModel):
    """`?page=2&page_size=50` of an API list; the first page of 20 rows without them."""

    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=API_PAGE_SIZE_MAX, description="每页条数")


class PageInfo(BaseModel):
    """What an API list's answer says besides its rows: the total, this page, and the links to
    the pages before and after (null at either end), with the request's other parameters."""

    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
