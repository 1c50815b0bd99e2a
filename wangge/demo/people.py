"""The demo street's people, through the residents app's own services: households and persons
on the register (sample data), special groups with visits done and due, 微心愿 at every stage,
and 矛盾纠纷 from first registration to 清零; plus resident accounts, each linked to their record
on the register, who report the demo's cases a few each.

Sample data throughout, kept in the sample grids: names drawn from a list; ID numbers that pass
every check the register makes (the district's area code, a real birth date, a valid GB 11643
check digit) but carry a sequence from 900 up, the range a sample is recognised by; contact
phones in the 1380xxxxxxx demo range. The register shows both masked like any other.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum.cn import ric

from wangge.accounts.models import Role, RoleGrant, User
from wangge.accounts.services import role_grant, user_create, user_set_real_name
from wangge.core.images import CleanImage, clean_image
from wangge.demo.cast import demo_nodes, demo_password_hash
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.residents import services as residents
from wangge.residents.models import (
    Dispute,
    DisputeKind,
    EscalationUnit,
    GroupTag,
    Household,
    Mediation,
    Move,
    Person,
    Relation,
    ResidenceKind,
    RiskLevel,
    SecurityTag,
    SpecialGroup,
    Visit,
    Wish,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_MEN = ["建国", "志强", "国庆", "海涛", "宏伟", "振华", "俊杰", "浩然", "子轩", "明辉", "立新"]
GIVEN_WOMEN = [
    "秀英",
    "桂兰",
    "玉梅",
    "丽娟",
    "春燕",
    "晓燕",
    "雅婷",
    "欣怡",
    "梓涵",
    "慧敏",
    "淑珍",
]
ROOMS_PER_BUILDING = 3
# Resident accounts of the demo street (phones 138 0003 xxxx): the people who report its cases.
RESIDENT_ACCOUNTS = 30
RESIDENT_PHONE_PREFIX = "1380003"
RESIDENT_PHONE = RESIDENT_PHONE_PREFIX + "{:04d}"
ACCOUNT_EVERY = 7  # one adult in about seven on the register has an account

CARE = {
    SpecialGroup.EMPTY_NEST: ("子女在外地，每月电话联系子女一次，关注用药和就医", 30),
    SpecialGroup.LIVING_ALONE: ("独居，每周上门看望，留好紧急联系人电话", 7),
    SpecialGroup.ADVANCED_AGE: ("八十岁以上，协助申领高龄津贴，关注助餐需求", 14),
    SpecialGroup.DISABLED: ("肢体残疾，协助办理残疾人两项补贴，出行需要轮椅", 30),
    SpecialGroup.LEFT_BEHIND_CHILD: ("父母在外务工，由祖父母照看，关注学业和安全", 30),
    SpecialGroup.HARDSHIP: ("低保户，协助临时救助申请，节日走访慰问", 30),
}
VISIT_FINDINGS = [
    "身体状况良好，家中整洁，已提醒按时服药",
    "老人反映楼道灯不亮，已记录报修",
    "家属在家，沟通了近期就医情况，暂无困难",
    "天气转凉，已提醒注意保暖和用气安全",
    "孩子学习正常，祖父母身体尚可",
]
WISHES = [
    ("想要一台收音机听戏", "老人眼睛不好，喜欢听豫剧"),
    ("希望有人陪同去医院复查", "每月一次，子女不在身边"),
    ("想给孙子买一套课外书", "孩子上小学三年级"),
    ("家里的旧轮椅需要修一修", "刹车不灵"),
    ("想学会用手机视频通话", "想和在外地的女儿视频"),
    ("希望有人帮忙换个灯泡", "卫生间灯坏了，够不着"),
    ("想要一床厚棉被过冬", ""),
    ("希望有人帮忙打扫一次卫生", "腿脚不便"),
    ("想要一副老花镜", "原来的镜腿断了"),
    ("希望过生日时有人陪着吃顿饭", "独居多年"),
]
DISPUTES = [
    (DisputeKind.NEIGHBOUR, RiskLevel.LOW, "楼上漏水渗到楼下卫生间，双方对维修费用有分歧"),
    (DisputeKind.NEIGHBOUR, RiskLevel.MEDIUM, "楼道堆放杂物，邻居多次劝说未果发生口角"),
    (DisputeKind.PROPERTY, RiskLevel.MEDIUM, "业主对物业费上涨有异议，拒绝缴费"),
    (DisputeKind.FAMILY, RiskLevel.LOW, "兄弟二人因老人赡养分担问题发生争执"),
    (DisputeKind.LABOUR, RiskLevel.HIGH, "装修工人讨要工钱，与包工头协商未果"),
    (DisputeKind.PROPERTY, RiskLevel.LOW, "小区停车位被长期占用，车主与物业协商"),
    (DisputeKind.NEIGHBOUR, RiskLevel.LOW, "宠物狗夜间吠叫影响邻居休息"),
    (DisputeKind.OTHER, RiskLevel.MEDIUM, "空调外机位置噪音和滴水引发邻里矛盾"),
]


@dataclass
class PeopleReport:
    households: int = 0
    persons: int = 0
    tagged: int = 0
    visits: int = 0
    wishes: int = 0
    disputes: int = 0
    residents: list[User] = field(default_factory=list)


def fake_id_number(
    rng: random.Random, *, area_code: str, age: int, male: bool, taken: set[str]
) -> str:
    """A well-formed sample ID number, not yet in `taken`: the district's area code, a birth date
    `age` years ago, a sequence from 900 (odd for men, as GB 11643 has it) and its check digit."""
    today = timezone.localdate()
    while True:
        birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        seq = 900 + 2 * rng.randrange(49) + (1 if male else 0)
        body = f"{area_code}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder digit
        if number not in taken:
            taken.add(number)
            return number


def sample_name(rng: random.Random, male: bool) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_MEN if male else GIVEN_WOMEN)


def sample_photo(text_seed: int, size: tuple[int, int] = (480, 360)) -> CleanImage:
    """A small generated picture (coloured blocks), cleaned like an upload: the evidence photo a
    demo wish or listing carries."""
    rng = random.Random(text_seed)
    img = Image.new("RGB", size, tuple(rng.randint(150, 230) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _i in range(6):
        x, y = rng.randint(0, size[0] - 80), rng.randint(0, size[1] - 80)
        w, h = rng.randint(40, 180), rng.randint(40, 140)
        draw.rectangle((x, y, x + w, y + h), fill=tuple(rng.randint(40, 200) for _ in range(3)))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    upload = SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")
    return clean_image(upload, by_job=False)  # seeding waits for nothing: no job to queue


def _workers(street: GridNode) -> dict[str, User]:
    """The grid worker of each grid of the street, by the grid's path: who registers and visits."""
    grants = RoleGrant.objects.filter(
        role=Role.GRID_WORKER, node__path__startswith=street.path
    ).select_related("user", "node")
    return {g.node.path: g.user for g in grants.order_by("pk")}


def _buildings(street: GridNode, community: GridNode) -> list[Building]:
    """One registered building in every micro-grid of the demo community, and one per grid in
    the rest of the street, so each community's 六要素 page has people."""
    chosen: list[Building] = []
    micros = GridNode.objects.filter(level=GridLevel.MICRO, path__startswith=street.path)
    first_of_grid: set[int] = set()
    for micro in micros.order_by("code"):
        in_demo = micro.path.startswith(community.path)
        if not in_demo and micro.parent_id in first_of_grid:
            continue
        first_of_grid.add(micro.parent_id or 0)
        chosen.extend(
            Building.objects.filter(micro_grid=micro)
            .select_related("micro_grid")
            .order_by("code")[:1]
        )
    return chosen


def _grid_of(path: str) -> str:
    """The grid's path above a micro-grid's path (`…/grid/micro/`)."""
    return path[: path.rstrip("/").rfind("/") + 1]


def seed_register(
    rng: random.Random,
    street: GridNode,
    community: GridNode,
    workers: dict[str, User],
    report: PeopleReport,
) -> list[Person]:
    serial = 0
    taken: set[str] = set()
    # The district's six-digit division code heads every street code of the imported tree.
    area_code = street.code[:6]
    persons: list[Person] = []
    for building in _buildings(street, community):
        worker = workers.get(_grid_of(building.micro_grid.path))
        if worker is None:
            continue
        for r in range(ROOMS_PER_BUILDING):
            room = f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{r + 1}"
            if Household.objects.filter(building=building, room=room).exists():
                continue
            rental = rng.random() < 0.15
            kind = ResidenceKind.LIUDONG if rental else rng.choice(ResidenceKind.values[:2])
            household = residents.household_create(
                actor=worker,
                building=building,
                room=room,
                kind=kind,
                is_owner=not rental,
                is_rental=rental,
            )
            report.households += 1
            head_age = rng.choice([34, 41, 48, 55, 63, 68, 72, 79, 84])
            members = [(Relation.HEAD, head_age, rng.random() < 0.5)]
            if rng.random() < 0.7:
                members.append((Relation.SPOUSE, head_age - rng.randint(-2, 4), False))
            if head_age < 60 and rng.random() < 0.7:
                members.append((Relation.CHILD, max(3, head_age - rng.randint(24, 32)), True))
            for relation, age, male in members:
                serial += 1
                if relation == Relation.SPOUSE:
                    male = not members[0][2]
                name = sample_name(rng, male)
                id_number = fake_id_number(
                    rng, area_code=area_code, age=age, male=male, taken=taken
                )
                if age >= 20 and serial % ACCOUNT_EVERY == 0:
                    _resident_account(name, id_number, building, report)
                persons.append(
                    residents.person_register(
                        actor=worker,
                        household=household,
                        name=name,
                        id_number=id_number,
                        phone=f"13800{rng.randint(100000, 999999)}" if age >= 18 else "",
                        relation=relation,
                        residence=kind,
                        moved_in_on=timezone.localdate() - timedelta(days=rng.randint(30, 3000)),
                    )
                )
    report.persons = len(persons)
    return persons


def seed_care(
    rng: random.Random, persons: list[Person], workers: dict[str, User], report: PeopleReport
) -> list[Person]:
    """Older people, children and a few others in special groups; most visited lately, some due
    or overdue (the worker's 待走访 list), some visits with a follow-up noted."""
    cared: list[Person] = []
    for person in persons:
        age = (timezone.localdate() - person.birth_date).days // 365 if person.birth_date else 0
        if age >= 60 and rng.random() < 0.3:
            group = rng.choice(
                [
                    SpecialGroup.EMPTY_NEST,
                    SpecialGroup.LIVING_ALONE,
                    SpecialGroup.ADVANCED_AGE if age >= 78 else SpecialGroup.EMPTY_NEST,
                ]
            )
        elif age < 14 and rng.random() < 0.25:
            group = SpecialGroup.LEFT_BEHIND_CHILD
        elif rng.random() < 0.04:
            group = rng.choice([SpecialGroup.DISABLED, SpecialGroup.HARDSHIP])
        else:
            continue
        worker = workers.get(_grid_of(person.grid_path))
        if worker is None:
            continue
        plan, every = CARE[group]
        residents.group_tag_set(
            actor=worker, person=person, group=group, care_plan=plan, visit_every_days=every
        )
        report.tagged += 1
        cared.append(person)
        # Visited within the period for two in three; the rest are due (never or long ago).
        if rng.random() < 0.66:
            days_ago = rng.randint(1, max(1, every - 1))
        elif rng.random() < 0.5:
            continue  # never visited yet: due since they were put on the register
        else:
            days_ago = every + rng.randint(1, 20)
        building = person.household.building
        follow = rng.random() < 0.3
        residents.visit_record(
            actor=worker,
            person=person,
            findings=rng.choice(VISIT_FINDINGS),
            visited_at=timezone.now() - timedelta(days=days_ago, hours=rng.randint(1, 6)),
            lon=building.lon,
            lat=building.lat,
            follow_up="下次走访时带上慢性病用药登记表" if follow else "",
        )
        report.visits += 1
    return cared


def seed_wishes(
    cared: list[Person], volunteers: list[User], workers: dict[str, User], report: PeopleReport
) -> None:
    """微心愿 of people in the demo community at every stage: raised, published, claimed,
    fulfilled (with a photo) and thanked (paid from the community's budget)."""
    stages = ["raised", "published", "claimed", "fulfilled", "thanked"]
    for i, person in enumerate(cared[: len(WISHES)]):
        worker = workers[_grid_of(person.grid_path)]
        title, detail = WISHES[i]
        wish = residents.wish_raise(actor=worker, person=person, title=title, detail=detail)
        report.wishes += 1
        stage = stages[i % len(stages)]
        if stage == "raised":
            continue
        wish = residents.wish_publish(actor=worker, wish=wish)
        if stage == "published":
            continue
        claimer = volunteers[i % len(volunteers)]
        wish = residents.wish_claim(actor=claimer, wish=wish)
        if stage == "claimed":
            continue
        wish = residents.wish_fulfil(
            actor=claimer,
            wish=wish,
            note="已送到老人家中，老人很满意",
            photos=[sample_photo(4000 + i)],
        )
        if stage == "thanked":
            residents.wish_thank(
                actor=worker, wish=wish, thanks="感谢志愿者的热心帮助，老人非常开心！"
            )


def seed_disputes(
    rng: random.Random, persons: list[Person], workers: dict[str, User], report: PeopleReport
) -> None:
    """矛盾纠纷 in the demo community at each step of 排查化解: registered, in mediation, settled,
    passed on to the 司法所 as a case, and cleared."""
    today = timezone.localdate()
    for i, (kind, risk, summary) in enumerate(DISPUTES):
        building = persons[(i * 7) % len(persons)].household.building
        worker = workers[_grid_of(building.micro_grid.path)]
        a, b = sample_name(rng, True), sample_name(rng, False)
        dispute = residents.dispute_register(
            actor=worker,
            building=building,
            kind=kind,
            risk=risk,
            summary=summary,
            parties=f"{a}、{b}",
            next_step="约双方到网格家园面谈",
            next_step_on=today + timedelta(days=rng.randint(1, 5)),
        )
        report.disputes += 1
        step = i % 4
        if step == 0:
            continue  # registered, the first talk still to come
        if step == 3 and i % 8 == 3:
            residents.dispute_escalate(
                actor=worker,
                dispute=dispute,
                unit=EscalationUnit.JUSTICE,
                reason="涉及金额较大，双方同意由司法所调解",
            )
            continue
        settled = step >= 2
        residents.dispute_mediate(
            actor=worker,
            dispute=dispute,
            notes="网格员与楼栋长一起听取双方意见",
            agreement="双方同意各让一步，按协议分担费用" if settled else "",
            held_on=today - timedelta(days=rng.randint(1, 10)),
            resolved=settled,
            next_step="" if settled else "再次组织双方协商",
            next_step_on=None if settled else today + timedelta(days=3),
        )
        if step == 3:
            residents.dispute_clear(actor=worker, dispute=dispute, outcome="回访协议已履行")


def _resident_account(name: str, id_number: str, building: Building, report: PeopleReport) -> None:
    """A resident who signed up on 原点在线 and passed real-name verification before the grid
    registered them: `person_register` then links the record to the account by the ID number's
    keyed hash, as it does for anyone. They live on the building's micro-grid."""
    if len(report.residents) >= RESIDENT_ACCOUNTS:
        return
    phone = RESIDENT_PHONE.format(len(report.residents))
    user = user_create(phone=phone, name=name, password_hash=demo_password_hash(), is_demo=True)
    user_set_real_name(user=user, name=name, id_number=id_number)
    role_grant(user=user, role=Role.RESIDENT, node=building.micro_grid)
    report.residents.append(user)


@transaction.atomic
def seed_people(*, rng: random.Random) -> PeopleReport:
    """The register of the demo street and everything the grid does with it."""
    nodes = demo_nodes()
    street, community = nodes["street"], nodes["community"]
    report = PeopleReport()
    workers = _workers(street)
    persons = seed_register(rng, street, community, workers, report)
    if not persons:
        return report
    cared = seed_care(rng, persons, workers, report)
    in_community = [p for p in persons if p.grid_path.startswith(community.path)]
    volunteers = list(
        User.objects.filter(
            grants__role__in=(Role.PARTY_MEMBER,), grants__node__path__startswith=community.path
        )
        .distinct()
        .order_by("phone")
    )
    cared_here = [p for p in cared if p.grid_path.startswith(community.path)]
    if cared_here and volunteers:
        seed_wishes(cared_here, volunteers, workers, report)
    seed_disputes(rng, in_community, workers, report)
    return report


def reset_people() -> None:
    """The register of the sample grids goes before its buildings (which it protects)."""
    sample = Household.objects.filter(building__micro_grid__is_sample=True)
    persons = Person.objects.filter(household__in=sample)
    Wish.objects.filter(person__in=persons).delete()
    Visit.objects.filter(person__in=persons).delete()
    GroupTag.objects.filter(person__in=persons).delete()
    SecurityTag.objects.filter(person__in=persons).delete()
    Move.objects.filter(person__in=persons).delete()
    disputes = Dispute.objects.filter(building__micro_grid__is_sample=True)
    Mediation.objects.filter(dispute__in=disputes).delete()
    disputes.delete()
    persons.delete()
    sample.delete()
