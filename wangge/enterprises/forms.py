"""Parsing the pages' form posts into service inputs (the API builds the same inputs)."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from wangge.core.dates import check_date
from wangge.core.errors import ValidationFailed
from wangge.core.forms import Listed, QueryForm, Ticked
from wangge.core.web import cleaned
from wangge.enterprises.models import Enterprise, Policy
from wangge.enterprises.services import EnterpriseInput, PolicyInput
from wangge.grids.positions import PositionError, read_crs, read_degrees

NO_PREFIXES = ("否：", "否:")


# A company's founding is history, older than the platform's window for its own events (an
# enterprise registered in 1956 is still in business); the service bounds it by today.
EARLIEST_FOUNDING = date(1800, 1, 1)


def _date(value: str, name: str, *, history: bool = False) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
        if history:
            if day < EARLIEST_FOUNDING:
                raise ValidationFailed(_("%(name)s不是有效日期") % {"name": name})
            return day
        return check_date(day)
    except ValueError as exc:
        if isinstance(exc, ValidationFailed):
            raise
        raise ValidationFailed(_("%(name)s不是有效日期") % {"name": name}) from exc


def _degrees(value: str, axis: Literal["lon", "lat"], name: str) -> float | None:
    try:
        return read_degrees(value, axis)
    except PositionError as refused:
        if refused.why == "unreadable":
            raise ValidationFailed(_("%(name)s应为数字") % {"name": name}) from None
        raise ValidationFailed(
            _("%(name)s须在 %(low)s 到 %(high)s 之间")
            % {"name": name, "low": int(refused.low), "high": int(refused.high)}
        ) from None


def _int(value: str, name: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationFailed(_("%(name)s应为整数") % {"name": name}) from exc


def split_list(value: str) -> list[str]:
    for sep in ("，", "、", ";", "；", "\n"):
        value = value.replace(sep, ",")
    return [v.strip() for v in value.split(",") if v.strip()]


class EnterpriseForm(forms.Form):
    """企业信息 as the registration and profile pages send it, each input as typed;
    `enterprise_input` says what the date, numbers and lists mean."""

    name = forms.CharField(required=False, strip=False)
    uscc = forms.CharField(required=False, strip=False)
    industry = forms.CharField(required=False, strip=False)
    size = forms.CharField(required=False, strip=False)
    founded_on = forms.CharField(required=False, strip=False)
    revenue_band = forms.CharField(required=False, strip=False)
    headcount = forms.CharField(required=False, strip=False)
    tags = forms.CharField(required=False, strip=False)
    address = forms.CharField(required=False, strip=False)
    lon = forms.CharField(required=False, strip=False)
    lat = forms.CharField(required=False, strip=False)
    crs = forms.CharField(required=False, strip=False)
    contact_name = forms.CharField(required=False, strip=False)
    contact_phone = forms.CharField(required=False, strip=False)


def enterprise_input(d: Mapping[str, Any]) -> EnterpriseInput:
    """An EnterpriseForm's values as the service's input; an unreadable date or number is
    refused naming its input."""
    return EnterpriseInput(
        name=d["name"],
        uscc=d["uscc"],
        industry=d["industry"],
        size=d["size"],
        founded_on=_date(d["founded_on"], _("成立日期"), history=True),
        revenue_band=d["revenue_band"],
        headcount=_int(d["headcount"], _("从业人数")),
        tags=split_list(d["tags"]),
        address=d["address"],
        lon=_degrees(d["lon"], "lon", _("经度")),
        lat=_degrees(d["lat"], "lat", _("纬度")),
        crs=read_crs(d["crs"]),
        contact_name=d["contact_name"],
        contact_phone=d["contact_phone"].strip() or None,
    )


def enterprise_initial(e: Enterprise) -> dict[str, Any]:
    return {
        "name": e.name,
        "uscc": e.uscc,
        "industry": e.industry,
        "size": e.size,
        "founded_on": e.founded_on.isoformat() if e.founded_on else "",
        "revenue_band": e.revenue_band,
        "headcount": "" if e.headcount is None else str(e.headcount),
        "tags": "，".join(e.tags or []),
        "address": e.address,
        "lon": "" if e.lon is None else f"{e.lon:.6f}",
        "lat": "" if e.lat is None else f"{e.lat:.6f}",
        "contact_name": e.contact_name,
        # Never the clear number: the field shows it masked as a placeholder.
        "contact_phone": "",
        "masked_phone": e.masked_phone,
    }


def criteria_from(d: Mapping[str, Any]) -> dict[str, Any]:
    """A CriteriaTypedForm's values as the criteria they mean (`criteria.clean` checks them)."""
    questions = []
    for line in d["questions"].splitlines():
        line = line.strip()
        if not line:
            continue
        expect = True
        for prefix in NO_PREFIXES:
            if line.startswith(prefix):
                line, expect = line[len(prefix) :].strip(), False
        questions.append({"text": line, "expect": expect})
    return {
        "industries": d["industries"],
        "sizes": d["sizes"],
        "regions": split_list(d["regions"]),
        "founded_before": d["founded_before"].strip(),
        "founded_after": d["founded_after"].strip(),
        "revenue_min": d["revenue_min"].strip(),
        "revenue_max": d["revenue_max"].strip(),
        "headcount_min": d["headcount_min"].strip(),
        "headcount_max": d["headcount_max"].strip(),
        "tags_any": split_list(d["tags_any"]),
        "tags_all": split_list(d["tags_all"]),
        "questions": questions,
    }


def criteria_initial(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "industries": c.get("industries", []),
        "sizes": c.get("sizes", []),
        "regions": "，".join(c.get("regions", [])),
        "founded_before": c.get("founded_before", ""),
        "founded_after": c.get("founded_after", ""),
        "revenue_min": c.get("revenue_min", ""),
        "revenue_max": c.get("revenue_max", ""),
        "headcount_min": c.get("headcount_min", ""),
        "headcount_max": c.get("headcount_max", ""),
        "tags_any": "，".join(c.get("tags_any", [])),
        "tags_all": "，".join(c.get("tags_all", [])),
        "questions": "\n".join(
            q["text"] if q.get("expect", True) else f"否：{q['text']}"
            for q in c.get("questions", [])
        ),
    }


def policy_initial(policy: Policy) -> dict[str, Any]:
    return {
        "title": policy.title,
        "issuer": policy.issuer,
        "benefit": policy.benefit,
        "deadline": policy.deadline.isoformat() if policy.deadline else "",
        "apply_url": policy.apply_url,
        "auto_grant": "1" if policy.auto_grant else "",
        "is_published": "1" if policy.is_published else "",
    }


def policy_input(d: Mapping[str, Any]) -> PolicyInput:
    """A PolicyForm's values as the service's input; an unreadable deadline is refused."""
    return PolicyInput(
        title=d["title"],
        issuer=d["issuer"],
        benefit=d["benefit"],
        deadline=_date(d["deadline"], _("申报截止")),
        apply_url=d["apply_url"],
        auto_grant=d["auto_grant"],
        criteria=criteria_from(d),
        is_published=d["is_published"],
    )


class AnswersForm(forms.Form):
    """The enterprise's 是/否 to the policies' questions, one `q:<question>` input each; any
    other value is no answer (None)."""

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        for key in data:
            if key.startswith("q:"):
                self.fields[key] = forms.CharField(required=False, strip=False)

    def answers(self) -> dict[str, bool | None]:
        return {
            key[2:]: {"yes": True, "no": False}.get(value) for key, value in cleaned(self).items()
        }


class RequestForm(forms.Form):
    kind = forms.CharField(required=False, strip=False)
    description = forms.CharField(required=False, strip=False)


class MemberForm(forms.Form):
    """The phone of the account to link to the enterprise."""

    phone = forms.CharField(required=False, strip=False)


class VisitForm(forms.Form):
    """万人助万企 走访; the date is read as the other pages read one (`_date`)."""

    visited_on = forms.CharField(required=False, strip=False)
    topics = Listed()
    problems = forms.CharField(required=False, strip=False)
    follow_up = forms.CharField(required=False, strip=False)
    as_case = Ticked()


class CriteriaTypedForm(forms.Form):
    """A policy's criteria as the editor typed them, drawn back when a save is refused and
    read by the preview; `criteria_from` reads what they mean."""

    industries = Listed()
    sizes = Listed()
    regions = forms.CharField(required=False, strip=False)
    founded_before = forms.CharField(required=False, strip=False)
    founded_after = forms.CharField(required=False, strip=False)
    revenue_min = forms.CharField(required=False, strip=False)
    revenue_max = forms.CharField(required=False, strip=False)
    headcount_min = forms.CharField(required=False, strip=False)
    headcount_max = forms.CharField(required=False, strip=False)
    tags_any = forms.CharField(required=False, strip=False)
    tags_all = forms.CharField(required=False, strip=False)
    questions = forms.CharField(required=False, strip=False)


class PolicyForm(CriteriaTypedForm):
    """A policy as its editor typed it, with its criteria; `policy_input` says what it means."""

    title = forms.CharField(required=False, strip=False)
    issuer = forms.CharField(required=False, strip=False)
    benefit = forms.CharField(required=False, strip=False)
    deadline = forms.CharField(required=False, strip=False)
    apply_url = forms.CharField(required=False, strip=False)
    auto_grant = Ticked()
    is_published = Ticked()


class HomeForm(QueryForm):
    """`?e=<id>`: which of the member's enterprises the page opens on; any other value opens
    the first (the list holds only their own, so nothing else can be asked for)."""

    e = forms.CharField(required=False, strip=False)


class RegistryForm(QueryForm):
    """企业名录's filters: words, industry, size, a node, a tag."""

    q = forms.CharField(required=False)
    industry = forms.CharField(required=False, strip=False)
    size = forms.CharField(required=False, strip=False)
    grid = forms.CharField(required=False)
    tag = forms.CharField(required=False)


class RegistryExportForm(RegistryForm):
    """The registry's filters, and `full=1` for the unmasked numbers a role may export."""

    full = Ticked()
