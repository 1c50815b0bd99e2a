"""巡查's JSON input read by a page endpoint (the open patrol's page posts its track): typed
here, so a body that does not read is one Chinese refusal, as the API's are."""

from pydantic import Field

from wangge.core.schemas import ApiDateTime, BodyIn


class PageTrackIn(BodyIn):
    """`{"points": [[iso time, lon, lat], …]}`, as the page's script sends its positions."""

    points: list[tuple[ApiDateTime, float, float]] = Field(...)
