"""GeoReport v2 bodies in the two formats the specification names: XML (required) and JSON.

Views hand over plain data (dicts, lists, str, int, float, bool, datetime, None); this module
decides how each looks on the wire, so both formats always carry the same fields.
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, tzinfo
from typing import Any

import orjson
from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# Element names for the items of nested lists (the spec's <endpoints><endpoint>… shapes).
LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# XML 1.0 cannot carry most control characters, even escaped; ElementTree would write them and
# leave the client with a document it cannot parse. Residents' descriptions sometimes hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def w3c_datetime(value: datetime | None, tz: tzinfo | None = None) -> str | None:
    """ISO 8601 with the offset, as the spec requires: 2026-11-21T10:00:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value, tz).isoformat(timespec="seconds")


def _text(value: Any, tz: tzinfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c_datetime(value, tz) or ""
    return _NOT_XML.sub("", str(value))


def _fill(parent: ET.Element, value: Any, tz: tzinfo, item_tag: str = "item") -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            element = ET.SubElement(parent, key)
            _fill(element, child, tz, LIST_ITEMS.get(key, "item"))
    elif isinstance(value, list | tuple):
        for child in value:
            _fill(ET.SubElement(parent, item_tag), child, tz)
    else:
        parent.text = _text(value, tz)


def to_xml(data: Any, root: str, item: str = "") -> bytes:
    """`data` a dict → <root>fields</root>; a list → <root><item>fields</item>…</root>."""
    element = ET.Element(root)
    _fill(element, data, timezone.get_current_timezone(), item)
    return _DECLARATION + ET.tostring(element, encoding="unicode").encode("utf-8")


def to_json(data: Any) -> bytes:
    tz = timezone.get_current_timezone()

    def datetimes(value: Any) -> Any:
        # Called by orjson only for a date or time (handed over, to be written in the spec's
        # form and the district's zone) and what JSON has no type for: the rest of the body is
        # not walked in Python.
        if isinstance(value, datetime):
            return value.astimezone(tz).isoformat(timespec="seconds")
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    return orjson.dumps(data, default=datetimes, option=orjson.OPT_PASSTHROUGH_DATETIME)


def respond(fmt: str, data: Any, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    body = to_xml(data, root, item) if fmt == "xml" else to_json(data)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error body: [{"code", "description"}] or <errors><error>…</error></errors>."""
    fmt = fmt if fmt in FORMATS else "json"
    return respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )
