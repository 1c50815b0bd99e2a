"""Validation of the identity data people type: resident ID numbers and mainland mobiles."""

import datetime as dt

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError


def normalize_id_number(value: str) -> str:
    """Validate an 18-digit 居民身份证号码 and return it upper-cased (the check digit may be X).

    Checks the format, the check digit (GB 11643), the birth date (a real, past date) and that
    the region code is one GB/T 2260 has ever had. python-stdnum's own `validate` also requires
    the county to have existed in the birth year; real numbers carry the code in force when the
    card was issued (from 1985), so that rule would refuse a 中原区 resident born before 1983.
    """
    text = (value or "").strip().replace(" ", "").upper()
    if len(text) != 18:
        raise ValidationError(_("身份证号码应为 18 位"), code="length")
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise ValidationError(_("身份证号码格式不正确"), code="format")
    if ric.calc_check_digit(text) != text[17]:
        raise ValidationError(_("身份证号码校验位不正确"), code="checksum")
    try:
        birth = ric.get_birth_date(text)
    except StdnumError as exc:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date") from exc
    if birth > dt.date.today() or birth.year < 1880:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date")
    if not _region_known(text[:6]):
        raise ValidationError(_("身份证号码中的地区代码无效"), code="region")
    return text


def _region_known(code: str) -> bool:
    parts = numdb.get("cn/loc").info(code)
    # A known code splits into a province part and a county part, each with properties.
    return len(parts) >= 2 and all(props for _part, props in parts)


def normalize_phone(value: str) -> str:
    """Validate a mainland mobile number; accept +86, spaces and dashes; return 11 digits."""
    text = (value or "").strip()
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("请输入有效的手机号码"), code="format") from exc
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed)
        not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        raise ValidationError(_("请输入有效的手机号码"), code="invalid")
    return str(parsed.national_number)


def normalize_contact_phone(value: str) -> str:
    """A number to call someone back on: a mobile (11 digits) or a mainland landline with its
    area code (0371 6789 1234 → 037167891234). Logins stay mobile-only (normalize_phone); a
    12345 caller often rings from a landline."""
    text = (value or "").strip()
    try:
        return normalize_phone(text)
    except ValidationError:
        pass
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("请输入有效的手机或固定电话号码"), code="format") from exc
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or (phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.FIXED_LINE)
    ):
        raise ValidationError(_("请输入有效的手机或固定电话号码"), code="invalid")
    return "0" + str(parsed.national_number)
