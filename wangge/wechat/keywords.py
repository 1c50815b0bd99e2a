"""What a subscription message's keyword may hold, by its type, and fitting a value to it.

WeChat answers 47003 (and the message is lost) for a value that breaks its type's rule: a
`phrase` with a comma, a `thing` over 20 characters, a `character_string` with Chinese in it.
Each value is fitted here before sending; one that cannot be made to fit is refused here, so
the message falls back (inbox, or a text message) instead of failing at WeChat.

The rules, as WeChat's documentation of subscribeMessage.send states them (docs/wechat.md §4
carries the same table for whoever maps a template's fields):

| type | WeChat's rule | fitted here by |
|---|---|---|
| thing | ≤ 20: Chinese, letters, digits, symbols | line breaks, emoji out; cut to 20 with … |
| short_thing | ≤ 5, as thing | cut to 5 |
| phrase | ≤ 5 Chinese characters only | the leading run of Chinese, when 1–5 long |
| character_string | ≤ 32 letters, digits, symbols | anything else removed, cut to 32 |
| number | ≤ 32 digits, a decimal point allowed | must already be one |
| letter | ≤ 32 letters only | must already be one |
| symbol | ≤ 5 symbols only | must already be one |
| time | a 24-hour time, a date before it allowed | written `2026年11月27日 14:05` |
| date | a date, a 24-hour time after it allowed | written `2026年11月27日` |
| amount | currency sign, ≤ 10 digits (decimals), 元 after | written `12.50元` |
| phone_number | ≤ 17 digits and symbols | anything else removed |
| car_number | ≤ 8: Chinese only first and last | must already be one |
| name | ≤ 10 Chinese characters, or ≤ 20 letters | cut to 10 (20 when all letters) |

A type not listed (a new one WeChat adds) is sent as a `thing` would be.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

_HAN: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# ASCII's printable symbols (no space): what "符号" safely means to every type that takes them.
_SYMBOLS: Final = r"!-/:-@\[-`{-~"


@dataclass(frozen=True)
class Rule:
    limit: int
    # A value of this type must match it whole.
    pattern: re.Pattern[str]


RULES: Final[dict[str, Rule]] = {
    "thing": Rule(20, re.compile(r"[^\x00-\x1f\x7f\U00010000-\U0010ffff]{1,20}")),
    "short_thing": Rule(5, re.compile(r"[^\x00-\x1f\x7f\U00010000-\U0010ffff]{1,5}")),
    "phrase": Rule(5, re.compile(f"[{_HAN}]{{1,5}}")),
    "character_string": Rule(32, re.compile(f"[0-9A-Za-z{_SYMBOLS}]{{1,32}}")),
    "number": Rule(32, re.compile(r"(?=[0-9.]{1,32}$)\d+(\.\d+)?")),
    "letter": Rule(32, re.compile(r"[A-Za-z]{1,32}")),
    "symbol": Rule(5, re.compile(f"[{_SYMBOLS}]{{1,5}}")),
    "time": Rule(
        32,
        re.compile(
            r"((\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}) )?\d{1,2}:\d{2}"
            r"(~((\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}) )?\d{1,2}:\d{2})?"
        ),
    ),
    "date": Rule(
        32,
        re.compile(
            r"(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})( \d{1,2}:\d{2})?"
            r"(~(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})( \d{1,2}:\d{2})?)?"
        ),
    ),
    "amount": Rule(14, re.compile(r"[¥￥$]?\d{1,10}(\.\d{1,2})?元?")),
    "phone_number": Rule(17, re.compile(f"[0-9{_SYMBOLS}]{{1,17}}")),
    "car_number": Rule(8, re.compile(f"[{_HAN}A-Za-z0-9][A-Za-z0-9]{{1,6}}[{_HAN}A-Za-z0-9]")),
    "name": Rule(20, re.compile(f"[{_HAN}A-Za-z·]{{1,10}}|[A-Za-z {_SYMBOLS}]{{1,20}}")),
}


class CannotFit(ValueError):
    """The value cannot be made to fit its keyword's type."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def kind_of(field: str) -> str:
    """A template field's type from its name: `character_string12` → `character_string`."""
    return field.rstrip("0123456789")


def as_time(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def as_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _clean(value: str) -> str:
    # Line breaks, tabs and emoji (outside the Basic Multilingual Plane) make WeChat refuse a
    # thing; runs of spaces are one space.
    value = re.sub(r"[\x00-\x1f\x7f\U00010000-\U0010ffff]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def fit(field: str, value: str | datetime | date | Decimal | int | float) -> str:
    """`value` made to fit the keyword `field` (thing1, phrase3 …), or CannotFit."""
    kind = kind_of(field)
    rule = RULES.get(kind, RULES["thing"])
    if isinstance(value, datetime):
        text = as_date(value) if kind == "date" else as_time(value)
    elif isinstance(value, date):
        text = as_date(value)
    elif kind == "amount":
        text = _amount(field, value)
    else:
        text = _clean(str(value))
    if kind == "phrase":
        # "已办结，等待核查" → "已办结": the words before the first thing that is not Chinese.
        lead = re.match(f"[{_HAN}]+", text)
        text = lead.group(0) if lead else ""
    elif kind in ("character_string", "phone_number"):
        allowed = "0-9" if kind == "phone_number" else "0-9A-Za-z"
        text = re.sub(f"[^{allowed}{_SYMBOLS}]", "", text)[: rule.limit]
    elif kind == "name":
        text = text[:20] if re.fullmatch(r"[A-Za-z ]+", text) else text[:10]
    elif kind not in RULES or kind in ("thing", "short_thing"):
        # thing, short_thing and types this table does not know: cut, never refused for length.
        text = _cut(text, rule.limit)
    if not rule.pattern.fullmatch(text):
        raise CannotFit(field)
    return text


def _amount(field: str, value: object) -> str:
    if isinstance(value, str):
        value = value.strip().removesuffix("元").lstrip("¥￥")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise CannotFit(field) from None
    return f"{number.quantize(Decimal('0.01'))}元"
