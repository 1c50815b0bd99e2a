"""The 中原区 demo district: real streets and communities, generated geometry and buildings."""

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import ApiToken, PersonalDataAccess, Role, RoleGrant, User
from wangge.accounts.services import role_grant, user_create
from wangge.assistant.kbfile import SEED_KB, read_rows
from wangge.assistant.models import KnowledgeItem
from wangge.assistant.services import kb_import
from wangge.cases.categories import catalogue_load
from wangge.cases.holidays import calendar_load_package
from wangge.cases.retention import case_purge_sample
from wangge.demo import geometry as geo
from wangge.demo import ledgers as ledgers_demo
from wangge.demo.cases import seed_cases
from wangge.demo.cast import (
    DEMO_PASSWORD,
    DISTRICT_CODE,
    DISTRICT_NAME,
    demo_nodes,
    demo_password_hash,
)
from wangge.demo.community import reset_community, seed_community
from wangge.demo.enterprises import seed_enterprises
from wangge.demo.hours import seed_hours
from wangge.demo.kitchen import seed_kitchen
from wangge.demo.partners import reset_partners, seed_partners
from wangge.demo.party import seed_party, seed_stars
from wangge.demo.people import reset_people, seed_people
from wangge.demo.points import reset_points_demo, seed_points_demo
from wangge.demo.reach import seed_reach
from wangge.demo.roads import build_roads
from wangge.demo.video import reset_video, seed_video
from wangge.demo.volunteering import reset_volunteering, seed_demo_volunteering
from wangge.grids.models import Building, GridLevel, GridNode, Road
from wangge.grids.services import buildings_bulk_create, grids_import, roads_bulk_create
from wangge.notifications.models import Notification
from wangge.ops.models import Circular
from wangge.ops.services import circulars_generate_all
from wangge.points.rules import default_rules_load
from wangge.points.services import community_issuer, points_budget
from wangge.rankings.aggregates import refresh as rankings_refresh

DIVISIONS_CSV = Path(__file__).parent / "data" / "zhongyuan_410102_divisions.csv"
BBOX = (113.55, 34.70, 113.68, 34.80)  # west, south, east, north
COMMUNITY_BUDGET = 20_000  # 活力值 a demo community may pay out for its wishes and residents' tasks

ROADS = [
    "伊河路",
    "桐柏路",
    "建设路",
    "建设西路",
    "中原路",
    "中原西路",
    "棉纺路",
    "棉纺西路",
    "秦岭路",
    "汝河路",
    "颍河西路",
    "工人路",
    "朱屯西路",
    "航海西路",
    "淮河路",
    "嵩山北路",
    "须水河东路",
    "化工路",
    "陇海西路",
    "华山路",
    "友爱路",
    "百花路",
    "互助路",
    "西站路",
    "锦艺路",
    "冉屯路",
]
NAME_HEADS = [
    "百花",
    "绿都",
    "华山",
    "锦绣",
    "桐柏",
    "嵩岳",
    "凤凰",
    "翠竹",
    "银杏",
    "和平",
    "友爱",
    "幸福",
    "康宁",
    "阳光",
    "碧沙",
    "伊河",
    "丰乐",
    "永安",
    "金桂",
    "紫荆",
    "海棠",
    "芳华",
    "建业",
    "正商",
    "秦岭",
    "棉纺",
    "工人",
    "育才",
    "文化",
    "春晓",
    "清华",
    "长城",
    "颐和",
    "书香",
    "绿城",
    "天伦",
    "龙湖",
    "鑫苑",
    "名门",
    "汇智",
]
NAME_TAILS = [
    "里",
    "小区",
    "花园",
    "苑",
    "家园",
    "新村",
    "公寓",
    "雅居",
    "名苑",
    "城",
    "佳苑",
    "花苑",
]
OLD_UNITS = [
    "国棉三厂",
    "国棉六厂",
    "郑州电缆厂",
    "郑州砂轮厂",
    "郑州煤矿机械厂",
    "纺织机械厂",
    "郑州印染厂",
    "省建三公司",
    "郑州第二制药厂",
    "河南省地质局",
    "市第二建筑公司",
]
EXCLUSIVE_SITES = [
    ("商圈", "中原万达广场商圈"),
    ("商圈", "碧沙岗商圈"),
    ("双创园", "中原区双创产业园"),
    ("双创园", "郑州数字经济产业园"),
    ("学校", "中原区伊河路实验小学"),
    ("学校", "中原区职业技术学校"),
    ("医院", "中原区人民医院"),
    ("医院", "中原区妇幼保健院"),
    ("楼宇", "中原总部商务楼宇"),
    ("园区", "中原区物流园区"),
]


@dataclass
class SeedReport:
    nodes: dict[str, int] = field(default_factory=dict)
    buildings: int = 0
    roads: int = 0
    cases: int = 0
    circulars: int = 0
    users: list[tuple[str, str, str, str]] = field(default_factory=list)  # phone, name, role, node


def read_divisions() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """{(street_code9, street_name): [(community_code12, name), …]} in file order."""
    streets: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    with DIVISIONS_CSV.open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            streets[(row["street_code9"], row["street_name"])].append((row["code12"], row["name"]))
    return streets


def _short_community(name: str) -> str:
    for suffix in ("社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "村委会"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem + ("村" if "村" in suffix else "社区")
    return name


def _feature(
    code: str, name: str, level: str, parent: str | None, geom: Any, kind: str = ""
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent,
            "kind": kind,
            "sample": True,
        },
        "geometry": geo.as_geojson(geom),
    }


def build_features(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """All grid features, parents first, and the micro-grid shapes for placing buildings."""
    divisions = read_divisions()
    district = geo.district_outline(rng, *BBOX)
    features = [_feature(DISTRICT_CODE, DISTRICT_NAME, GridLevel.DISTRICT, None, district)]
    micro_shapes: dict[str, Any] = {}
    community_shapes: dict[str, Any] = {}
    street_cells = geo.tessellate(rng, district, len(divisions), relax=4)
    for (street_code, street_name), street_geom in zip(divisions, street_cells, strict=True):
        features.append(
            _feature(street_code, street_name, GridLevel.STREET, DISTRICT_CODE, street_geom)
        )
        communities = divisions[(street_code, street_name)]
        for (c_code, c_name), c_geom in zip(
            communities, geo.tessellate(rng, street_geom, len(communities)), strict=True
        ):
            short = _short_community(c_name)
            features.append(_feature(c_code, c_name, GridLevel.COMMUNITY, street_code, c_geom))
            community_shapes[c_code] = c_geom
            grids = geo.tessellate(rng, c_geom, rng.randint(3, 6))
            for gi, g_geom in enumerate(grids, start=1):
                g_code = f"{c_code}{gi:03d}"
                features.append(
                    _feature(g_code, f"{short}第{gi}网格", GridLevel.GRID, c_code, g_geom)
                )
                for mi, m_geom in enumerate(
                    geo.tessellate(rng, g_geom, rng.randint(4, 10)), start=1
                ):
                    m_code = f"{g_code}{mi:03d}"
                    features.append(
                        _feature(
                            m_code,
                            f"{short}第{gi}网格{mi}号微网格",
                            GridLevel.MICRO,
                            g_code,
                            m_geom,
                        )
                    )
                    micro_shapes[m_code] = m_geom
    # Exclusive grids sit over residential grids; the community holding their centre runs them.
    used: defaultdict[str, int] = defaultdict(int)
    community_codes = sorted(community_shapes)
    for kind, name in EXCLUSIVE_SITES:
        c_code = rng.choice(community_codes)
        centre = community_shapes[c_code].representative_point()
        site = geo.small_site(rng, centre, rng.uniform(120, 260), rng.uniform(90, 200))
        used[c_code] += 1
        # "9" + sequence keeps exclusive codes apart from the community's unit grids (001–899).
        features.append(
            _feature(
                f"{c_code}9{used[c_code]:02d}", name, GridLevel.EXCLUSIVE, c_code, site, kind=kind
            )
        )
    return features, micro_shapes


def build_buildings(rng: random.Random, micro_shapes: dict[str, Any]) -> list[dict[str, Any]]:
    """About ten buildings per micro-grid, one compound (楼院) each, on the district's roads."""
    rows: list[dict[str, Any]] = []
    taken: set[tuple[str, str]] = set()
    community_roads: dict[str, list[str]] = {}
    road_numbers: defaultdict[str, int] = defaultdict(int)
    for m_code in sorted(micro_shapes):
        c_code = m_code[:12]
        roads = community_roads.setdefault(c_code, rng.sample(ROADS, 3))
        road = rng.choice(roads)
        road_numbers[road] += rng.randint(2, 9)
        number = road_numbers[road]
        aliases_for: list[str] = []
        if rng.random() < 0.45:
            compound = f"{number}号院"
            prefix = f"中原区{road}{compound}"
        else:
            while True:
                compound = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
                if (road, compound) not in taken:
                    taken.add((road, compound))
                    break
            prefix = f"中原区{road}{compound}"
            aliases_for.append(f"{road}{number}号院")  # the same courtyard by its house number
        if rng.random() < 0.15:
            aliases_for.append(f"{rng.choice(OLD_UNITS)}家属院")
        n_buildings = rng.randint(8, 12)
        for b in range(1, n_buildings + 1):
            lon, lat = geo.random_point_in(rng, micro_shapes[m_code])
            rows.append(
                {
                    "code": f"{m_code}{b:03d}",
                    "address": f"{prefix}{b}号楼",
                    "aliases": [f"{a}{b}号楼" for a in aliases_for],
                    "lon": lon,
                    "lat": lat,
                    "micro_code": m_code,
                }
            )
    return rows


DEMO_USERS: list[tuple[str, str, str, str]] = [
    # phone, name, role, where (a key resolved in demo_nodes)
    ("13800000001", "赵建国", Role.ADMIN, "district"),
    ("13800000002", "钱卫东", Role.STREET_DISPATCHER, "street"),
    ("13800000003", "孙丽华", Role.COMMUNITY_STAFF, "community"),
    ("13800000004", "李志强", Role.GRID_LEADER, "grid_a"),
    ("13800000005", "周敏", Role.GRID_WORKER, "grid_a"),
    ("13800000006", "吴磊", Role.GRID_WORKER, "grid_b"),
    ("13800000007", "郑桂芳", Role.MICRO_GRID_LEADER, "micro_a"),
    ("13800000008", "王海涛", Role.DEPARTMENT_HANDLER, "district"),
    ("13800000009", "冯晓燕", Role.EXCLUSIVE_GRID_LEADER, "exclusive"),
    ("13800000010", "陈志远", Role.ENTERPRISE, "exclusive"),
    ("13800000011", "褚明", Role.MERCHANT, "community"),
    ("13800000012", "卫红梅", Role.ORG_ADMIN, "street"),
    ("13800000013", "蒋文博", Role.PARTY_MEMBER, "micro_a"),
    ("13800000014", "王秀兰", Role.RESIDENT, "micro_a"),
    ("13800000015", "沈静", Role.AUDITOR, "street"),
]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建华",
    "丽娟",
    "志刚",
    "秀英",
    "海燕",
    "国强",
    "红梅",
    "伟",
    "静",
    "磊",
    "敏",
    "军",
    "艳",
    "勇",
    "霞",
]


def seed_grid_workers(rng: random.Random) -> int:
    """A grid worker for every other grid of the demo street, so every case there has a
    handler. They log in like the listed demo accounts (phones 138 0001 xxxx)."""
    nodes = demo_nodes()
    taken = {nodes["grid_a"].pk, nodes["grid_b"].pk}
    grids = GridNode.objects.filter(level=GridLevel.GRID, path__startswith=nodes["street"].path)
    made = 0
    for i, grid in enumerate(grids.order_by("code")):
        if grid.pk in taken:
            continue
        phone = f"1380001{i:04d}"
        user = User.objects.filter(phone=phone).first() or user_create(
            phone=phone,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            password_hash=demo_password_hash(),
            is_demo=True,
        )
        role_grant(user=user, role=Role.GRID_WORKER, node=grid)
        made += 1
    return made


def seed_users(report: SeedReport) -> None:
    nodes = demo_nodes()
    for phone, name, role, where in DEMO_USERS:
        user = User.objects.filter(phone=phone).first() or user_create(
            phone=phone,
            name=name,
            password_hash=demo_password_hash(),
            is_demo=True,
            is_staff=role == Role.ADMIN,
        )
        if role == Role.ADMIN and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        role_grant(user=user, role=role, node=nodes[where])
        report.users.append((phone, name, str(Role(role).label), nodes[where].name))


@transaction.atomic
def fund_communities() -> int:
    """Every community of the demo street gets a budget on its own issuing account, which pays
    the 活力值 for the 微心愿 its grid staff thank (and for residents' own volunteer tasks it
    approves). Kept across a reset like the organisations' budgets: the key finds the first
    transfer, so reseeding adds nothing."""
    street = demo_nodes()["street"]
    communities = GridNode.objects.filter(parent=street, level=GridLevel.COMMUNITY)
    for community in communities.order_by("code"):
        account = community_issuer(community)
        points_budget(
            issuer=account,
            amount=COMMUNITY_BUDGET,
            key=f"demo-community-budget:{account.name}",
            reason="2026 年度社区志愿服务活力值预算",
        )
    return communities.count()


@transaction.atomic
def reset() -> None:
    reset_video()  # the cameras' alerts protect their cases, their events the cameras
    reset_partners()  # projects and needs protect the wishes, topics and cases they answer
    reset_points_demo()  # ledger rows protect the users and grids they name
    reset_people()  # the register protects buildings, cases and the staff who keep it
    reset_community()
    ledgers_demo.reset_ledgers()
    demo_users = User.objects.filter(is_demo=True)
    # Cases in sample grids go with them (their timelines and photos cascade): the one
    # deletion of cases there is, for sample data only.
    case_purge_sample()
    Notification.objects.filter(recipient__in=demo_users).delete()
    reset_volunteering()  # demo tasks hold on to demo people and sample grids
    _reset_circulars()
    PersonalDataAccess.objects.filter(actor__in=demo_users).delete()
    ApiToken.objects.filter(user__in=demo_users).delete()
    RoleGrant.objects.filter(node__is_sample=True).delete()
    demo_users.delete()
    Building.objects.filter(micro_grid__is_sample=True).delete()
    Road.objects.filter(is_sample=True).delete()
    for level in reversed(GridLevel.values):
        GridNode.objects.filter(is_sample=True, level=level).delete()


def seed_knowledge_base() -> int:
    """小原's seed base, through the same file reader and service as `import_kb`; a base
    someone already loaded or edited is left alone."""
    if KnowledgeItem.objects.exists():
        return 0
    return kb_import(rows=read_rows(SEED_KB)).created


def seed_circulars() -> int:
    """Last week's 周通报 for every street and the district, as the Monday job would have made
    them: a fresh install's dispatcher finds one at /ops/circulars/, not an empty archive until
    the first Monday (after the cases, whose spread over the past weeks they count)."""
    last_week = timezone.localdate() - timedelta(days=7)
    return circulars_generate_all(kind=Circular.Kind.WEEKLY, start=last_week)


def _reset_circulars() -> None:
    """The sample units' circulars and their files (a circular protects its unit)."""
    for circular in Circular.objects.filter(node__is_sample=True):
        circular.pdf.delete(save=False)
        circular.xlsx.delete(save=False)
        circular.delete()


@transaction.atomic
def seed(*, seed_value: int = 410102) -> SeedReport:
    """The whole demo district, or nothing: one transaction, so that a seed stopped part-way
    (an error, a Ctrl-C) leaves no half demo behind that the next run would take for a whole
    one."""
    rng = random.Random(seed_value)
    report = SeedReport()
    features, micro_shapes = build_features(rng)
    rows = build_buildings(rng, micro_shapes)
    with transaction.atomic():
        # The sample district is generated, not edited by anyone: 5,800 "created" rows in the
        # change log would be history of nothing (and a third of the seed's time).
        with disable_auditlog():
            grids_import({"type": "FeatureCollection", "features": features})
        micro_ids = dict(GridNode.objects.filter(level=GridLevel.MICRO).values_list("code", "id"))
        report.buildings = buildings_bulk_create(
            Building(
                code=r["code"],
                address=r["address"],
                aliases=r["aliases"],
                lon=r["lon"],
                lat=r["lat"],
                micro_grid_id=micro_ids[r["micro_code"]],
                is_sample=True,
            )
            for r in rows
        )
        # Sample roads only where the operator has imported no network of their own.
        if not Road.objects.filter(is_sample=False).exists():
            report.roads = roads_bulk_create(build_roads(rows, micro_shapes, ROADS))
        seed_users(report)
        seed_grid_workers(random.Random(seed_value + 2))
        seed_party(password=DEMO_PASSWORD, seed_value=seed_value)
        catalogue_load()
        calendar_load_package(since=timezone.localdate().year - 1)
    # Budgets first: thanked wishes and verified reports pay from them as they happen.
    default_rules_load()
    fund_communities()
    seed_people(rng=random.Random(seed_value + 4))
    report.cases = seed_cases(rng=random.Random(seed_value + 1))
    seed_points_demo()
    seed_demo_volunteering()
    seed_hours()
    seed_stars()  # after the hours and cases the rating measures
    seed_community(rng=random.Random(seed_value + 5))
    seed_enterprises(rng=random.Random(seed_value + 3))
    ledgers_demo.seed_ledgers(rng=random.Random(seed_value + 3))
    seed_reach(rng=random.Random(seed_value + 6))
    seed_kitchen(rng=random.Random(seed_value + 7))
    seed_video(rng=random.Random(seed_value + 8))
    seed_partners()  # after the wishes, topics and cases its needs come from
    seed_knowledge_base()
    rankings_refresh()  # the volunteers' board reads per-minute aggregates: fill them now
    report.circulars = seed_circulars()
    for f in features:
        level = f["properties"]["level"]
        report.nodes[level] = report.nodes.get(level, 0) + 1
    return report
