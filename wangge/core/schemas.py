"""Types for API input that every database accepts."""

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel
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
