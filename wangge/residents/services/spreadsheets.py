"""The register as Excel: importing households and people from a sheet, exporting (masked, or
in clear and audited)."""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from wangge.accounts.identity import normalize_contact_phone, normalize_id_number
from wangge.accounts.models import (
    ID_REVEAL_ROLES,
    PersonalDataAccess,
    User,
)
from wangge.accounts.selectors import may_reveal
from wangge.core import pii, xlsx
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building
from wangge.residents.models import (
    Household,
    Move,
    Person,
    Relation,
    ResidenceKind,
)
from wangge.residents.services._shared import _label
from wangge.residents.services.people import _new_person

IMPORT_COLUMNS = (
    ("building", _("楼栋编码")),
    ("room", _("房号")),
    ("household_kind", _("户类型")),
    ("is_rental", _("出租房")),
    ("name", _("姓名")),
    ("id_number", _("身份证号")),
    ("phone", _("联系电话")),
    ("relation", _("与户主关系")),
    ("residence", _("居住类型")),
)


def _by_label(choices: type[ResidenceKind] | type[Relation]) -> dict[str, str]:
    # Cells carry the Chinese label (户籍, 户主…); the code name is accepted too.
    out = {str(label): value for value, label in choices.choices}
    out.update({value: value for value in choices.values})
    return out


@dataclass
class ImportReport:
    rows: int = 0
    households_created: int = 0
    persons_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def persons_import(*, actor: User, data: bytes) -> ImportReport:
    """Households and persons from an .xlsx sheet, one person per row. Every row is checked
    first; if any row is wrong the report lists them by row number and nothing is written."""
    report = ImportReport()
    try:
        wb = xlsx.load(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件")) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(c) for c in next(rows, ())]
    wanted = [str(label) for _key, label in IMPORT_COLUMNS]
    missing = [w for w in wanted if w not in header]
    if missing:
        raise ValidationFailed(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
    index = {key: header.index(str(label)) for key, label in IMPORT_COLUMNS}
    kinds, relations = _by_label(ResidenceKind), _by_label(Relation)
    sheet_rows = [
        (number, {k: _cell(raw[i]) if i < len(raw) else "" for k, i in index.items()})
        for number, raw in enumerate(rows, start=2)
    ]
    wb.close()
    sheet_rows = [(n, cells) for n, cells in sheet_rows if any(cells.values())]
    # Only the buildings the sheet names: the district has tens of thousands.
    buildings = {
        b.code: b
        for b in Building.objects.select_related("micro_grid").filter(
            code__in={cells["building"] for _n, cells in sheet_rows}
        )
    }
    parsed: list[dict[str, object]] = []
    seen_ids: dict[str, int] = {}
    for number, cells in sheet_rows:
        report.rows += 1
        errs: list[str] = []
        building = buildings.get(cells["building"])
        if building is None or not path_in_scope(actor, building.micro_grid.path):
            errs.append(_("楼栋“%(b)s”不存在或不在您的网格内") % {"b": cells["building"]})
        if not cells["room"]:
            errs.append(_("缺少房号"))
        if not cells["name"]:
            errs.append(_("缺少姓名"))
        if cells["household_kind"] not in kinds:
            errs.append(_("户类型“%(v)s”无效") % {"v": cells["household_kind"]})
        if cells["residence"] not in kinds:
            errs.append(_("居住类型“%(v)s”无效") % {"v": cells["residence"]})
        if cells["relation"] not in relations:
            errs.append(_("与户主关系“%(v)s”无效") % {"v": cells["relation"]})
        clean_id = clean_phone = ""
        try:
            clean_id = normalize_id_number(cells["id_number"])
        except ValidationError as exc:
            errs.append(exc.messages[0])
        if cells["phone"]:
            try:
                clean_phone = normalize_contact_phone(cells["phone"])
            except ValidationError as exc:
                errs.append(exc.messages[0])
        if clean_id:
            if clean_id in seen_ids:
                errs.append(_("身份证号码与第 %(n)d 行重复") % {"n": seen_ids[clean_id]})
            seen_ids.setdefault(clean_id, number)
        for e in errs:
            report.errors.append((number, e))
        parsed.append(
            {
                **cells,
                "building_obj": building,
                "id_number": clean_id,
                "phone": clean_phone,
                "household_kind": kinds.get(cells["household_kind"], ""),
                "residence": kinds.get(cells["residence"], ""),
                "relation": relations.get(cells["relation"], ""),
                "is_rental": cells["is_rental"] in ("是", "Y", "y", "1", "true", "True"),
                "row": number,
            }
        )
    if report.rows == 0:
        raise ValidationFailed(_("文件中没有数据行"))
    if seen_ids:
        hashes = {pii.lookup_hash(i): i for i in seen_ids}
        for h in Person.objects.filter(id_number_hash__in=hashes).values_list(
            "id_number_hash", flat=True
        ):
            report.errors.append((seen_ids[hashes[h]], _("身份证号码已登记")))
    if report.errors:
        report.errors.sort()
        return report
    _import_write(actor, parsed, report)
    return report


@transaction.atomic
def _import_write(actor: User, parsed: list[dict[str, object]], report: ImportReport) -> None:
    households: dict[tuple[int, str], Household] = {}
    today = timezone.localdate()
    persons: list[Person] = []
    for row in parsed:
        building = row["building_obj"]
        assert isinstance(building, Building)
        key = (building.pk, str(row["room"]))
        household = households.get(key)
        if household is None:
            household, created = Household.objects.get_or_create(
                building=building,
                room=str(row["room"]),
                defaults={
                    "kind": str(row["household_kind"]),
                    "is_owner": not row["is_rental"],
                    "is_rental": bool(row["is_rental"]),
                    "grid_path": building.micro_grid.path,
                },
            )
            households[key] = household
            report.households_created += int(created)
        persons.append(
            _new_person(
                household=household,
                name=str(row["name"]),
                id_number=str(row["id_number"]),
                phone=str(row["phone"]),
                relation=str(row["relation"]),
                residence=str(row["residence"]),
            )
        )
    # With history: a bulk insert sends no signals, so the rows are written here, with the
    # importing person as who.
    created_persons = bulk_create_with_history(
        persons, Person, default_user=actor, default_change_reason=_("Excel 导入")
    )
    Move.objects.bulk_create(
        Move(
            person=p,
            household=p.household,
            kind=Move.Kind.IN,
            on=today,
            note=_("Excel 导入"),
            recorded_by=actor,
        )
        for p in created_persons
    )
    report.persons_created = len(created_persons)


EXPORT_HEADER = (
    _("楼栋"),
    _("房号"),
    _("姓名"),
    _("性别"),
    _("出生日期"),
    _("身份证号"),
    _("联系电话"),
    _("与户主关系"),
    _("居住类型"),
    _("特殊人群"),
)


@transaction.atomic
def persons_export(
    *, actor: User, persons: Sequence[Person], unmasked: bool, ip: str | None = None
) -> bytes:
    """An .xlsx of the given (already scoped) persons: masked, or in clear for a role that may
    see ID numbers, in which case every person exported gets an audit row per field."""
    if unmasked:
        if not may_reveal(actor, ID_REVEAL_ROLES):
            raise PermissionDenied(_("您的角色无权导出完整身份证号"))
        purpose = _("导出人员名单")
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                actor=actor,
                subject_id=p.account_id,
                subject_label=_label(p),
                field=f,
                purpose=purpose,
                ip_address=ip,
            )
            for p in persons
            for f in (PersonalDataAccess.Field.ID_NUMBER, PersonalDataAccess.Field.PHONE)
        )
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(str(_("人员")))
    ws.append([str(h) for h in EXPORT_HEADER])
    for p in persons:
        groups = "、".join(str(t.get_group_display()) for t in p.tags.all() if t.is_active)
        ws.append(
            [
                p.household.building.address,
                p.household.room,
                p.name,
                p.get_gender_display(),
                p.birth_date.isoformat(),
                p.id_number if unmasked else p.id_number_masked,
                p.phone if unmasked else p.masked_phone,
                p.get_relation_display(),
                p.get_residence_display(),
                groups,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
