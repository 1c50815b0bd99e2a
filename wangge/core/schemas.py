"""Types for API input that every database accepts."""

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator

from wangge.core.dates import check_date, check_datetime

# Times and dates inside the platform's window (wangge.core.dates); a time comes back in UTC.
# Out of the window is a 422 naming the field, never an overflow further down.
ApiDateTime = Annotated[datetime, AfterValidator(check_datetime)]
ApiDate = Annotated[date, AfterValidator(check_date)]
