"""How personal data is shown by default: masked, so a screen over a shoulder leaks nothing."""


def mask_id_number(value: str | None) -> str:
    """410102199001011234 → 410102********1234 (region kept: staff need to see the district)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone_in_log(value: str) -> str:
    """django-auditlog's mask_callable for phone fields: it hands over str(None) for a field
    that had no value, which stays as it is."""
    return value if value in ("", "None") else mask_phone(value)


def mask_name(value: str | None) -> str:
    """王秀兰 → 王**; a two-character name keeps its surname only."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_name_recognisable(value: str | None) -> str:
    """王秀兰 → 王*兰, 张三 → 张*, 欧阳小明 → 欧**明: enough for neighbours to recognise on an
    honour list, not to identify a stranger."""
    if not value or len(value) <= 1:
        return value or ""
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
