"""Demo data for 企业服务: thirty sample enterprises on 中原区 roads and twelve 惠企政策.

The enterprises are invented (names, credit codes, figures) and marked `is_sample`; they stand
at sample buildings of the demo district on the road their address names, so each falls in a
real micro-grid. The policies are written for the demo and describe the kinds of support a
district offers; they are not quotations of any official document.
"""

import random
from datetime import date
from typing import Any

from django.db import transaction
from stdnum.cn import uscc as uscc_std

from wangge.accounts.models import Role, User
from wangge.enterprises.models import Enterprise, EnterpriseVisit, Policy
from wangge.enterprises.services import (
    EnterpriseInput,
    PolicyInput,
    enterprise_create,
    enterprise_request_submit,
    enterprise_visit_record,
    policy_save,
)
from wangge.grids.models import Building, GridLevel, GridNode

# name, industry, size, founded, revenue band, headcount, tags, road
ENTERPRISES: list[tuple[str, str, str, str, str, int | None, list[str], str]] = [
    (
        "郑州碧沙岗商业运营管理有限公司",
        "L",
        "small",
        "2016-04-18",
        "500-2000",
        46,
        ["楼宇经济"],
        "",
    ),
    (
        "郑州中原精工机械有限公司",
        "C",
        "medium",
        "2009-07-02",
        "2000-1e4",
        210,
        ["高新技术企业", "专精特新"],
        "建设西路",
    ),
    (
        "河南豫棉纺织科技有限公司",
        "C",
        "medium",
        "2003-11-20",
        "1e4-4e4",
        460,
        ["高新技术企业"],
        "棉纺路",
    ),
    ("郑州伊河路餐饮管理有限公司", "H", "micro", "2024-03-01", "100-500", 14, [], "伊河路"),
    (
        "郑州桐柏数智科技有限公司",
        "I",
        "small",
        "2019-09-12",
        "500-2000",
        38,
        ["科技型中小企业"],
        "桐柏路",
    ),
    ("郑州秦岭路汽车维修服务有限公司", "O", "micro", "2021-06-08", "100-500", 9, [], "秦岭路"),
    (
        "河南中原云链信息技术有限公司",
        "I",
        "small",
        "2022-02-15",
        "100-500",
        26,
        ["科技型中小企业", "高新技术企业"],
        "中原西路",
    ),
    (
        "郑州工人路百货零售有限公司",
        "F",
        "small",
        "2012-05-30",
        "2000-1e4",
        58,
        ["限上商贸"],
        "工人路",
    ),
    ("郑州汝河路建筑工程有限公司", "E", "medium", "2008-10-10", "2000-1e4", 150, [], "汝河路"),
    ("郑州航海西路物流有限公司", "G", "small", "2017-03-22", "500-2000", 64, [], "航海西路"),
    ("郑州淮河路文化传媒有限公司", "R", "micro", "2023-08-16", "lt100", 6, [], "淮河路"),
    ("郑州嵩山北路口腔门诊部有限公司", "Q", "micro", "2020-12-01", "100-500", 18, [], "嵩山北路"),
    (
        "郑州须水河精密电子有限公司",
        "C",
        "small",
        "2018-05-05",
        "2000-1e4",
        96,
        ["专精特新", "高新技术企业"],
        "须水河东路",
    ),
    (
        "郑州化工路新材料有限公司",
        "C",
        "medium",
        "2011-01-18",
        "1e4-4e4",
        280,
        ["高新技术企业"],
        "化工路",
    ),
    ("郑州陇海西路仓储服务有限公司", "G", "micro", "2024-06-20", "100-500", 11, [], "陇海西路"),
    ("郑州华山路教育咨询有限公司", "P", "micro", "2022-09-01", "lt100", 8, [], "华山路"),
    ("郑州西站路商贸有限公司", "F", "micro", "2025-02-10", "lt100", 4, ["个转企"], "西站路"),
    (
        "郑州锦艺商业管理有限公司",
        "L",
        "medium",
        "2014-04-04",
        "2000-1e4",
        120,
        ["楼宇经济"],
        "锦艺路",
    ),
    (
        "郑州中原路连锁超市有限公司",
        "F",
        "medium",
        "2006-08-08",
        "1e4-4e4",
        340,
        ["限上商贸"],
        "中原路",
    ),
    (
        "郑州建设路软件开发有限公司",
        "I",
        "small",
        "2020-03-03",
        "500-2000",
        52,
        ["科技型中小企业"],
        "建设路",
    ),
    ("郑州棉纺西路家政服务有限公司", "O", "micro", "2023-11-11", "lt100", 15, [], "棉纺西路"),
    (
        "郑州颍河西路环保科技有限公司",
        "N",
        "small",
        "2015-07-27",
        "500-2000",
        33,
        ["高新技术企业"],
        "颍河西路",
    ),
    ("郑州朱屯西路食品加工有限公司", "C", "small", "2010-12-12", "2000-1e4", 88, [], "朱屯西路"),
    ("郑州友爱路社区养老服务有限公司", "Q", "micro", "2021-10-09", "100-500", 22, [], "友爱路"),
    ("郑州百花路酒店管理有限公司", "H", "small", "2013-06-06", "500-2000", 75, [], "百花路"),
    ("郑州互助路印务有限公司", "C", "micro", "2005-02-28", "100-500", 19, [], "互助路"),
    ("郑州冉屯路电子商务有限公司", "F", "micro", "2025-05-20", "", 5, ["个转企"], "冉屯路"),
    (
        "河南嵩岳检验检测技术有限公司",
        "M",
        "small",
        "2016-09-19",
        "500-2000",
        41,
        ["高新技术企业", "科技型中小企业"],
        "嵩山北路",
    ),
    ("郑州伊河路烘焙食品店有限公司", "H", "micro", "2024-09-09", "lt100", 7, [], "伊河路"),
    ("郑州桐柏路律师事务服务有限公司", "L", "micro", "2019-01-15", "100-500", 12, [], "桐柏路"),
]

APPLY_PORTAL = "https://www.hnzwfw.gov.cn/"


def policies(street: GridNode, exclusive: GridNode) -> list[dict[str, Any]]:
    return [
        {
            "title": "小微企业稳岗返还",
            "issuer": "中原区人力资源和社会保障局",
            "benefit": (
                "上年度未裁员或裁员率不高于规定比例的小微企业，"
                "按上年度实际缴纳失业保险费的 60% 返还，资金直接拨付企业对公账户。"
            ),
            "deadline": date(2026, 12, 31),
            "auto_grant": True,
            "criteria": {
                "sizes": ["small", "micro"],
                "questions": [{"text": "上年度是否足额缴纳失业保险费", "expect": True}],
            },
        },
        {
            "title": "高新技术企业认定奖励",
            "issuer": "中原区科技和工业信息化局",
            "benefit": (
                "首次通过高新技术企业认定的企业，一次性奖励 20 万元；重新认定通过的奖励 10 万元。"
            ),
            "deadline": date(2027, 3, 31),
            "apply_url": APPLY_PORTAL,
            "criteria": {"tags_any": ["高新技术企业"], "founded_before": "2025-12-31"},
        },
        {
            "title": "专精特新中小企业培育奖励",
            "issuer": "中原区科技和工业信息化局",
            "benefit": (
                "被认定为省级专精特新中小企业的，给予一次性奖励 30 万元，用于研发和市场开拓。"
            ),
            "deadline": date(2027, 6, 30),
            "apply_url": APPLY_PORTAL,
            "criteria": {"tags_all": ["专精特新"], "sizes": ["medium", "small", "micro"]},
        },
        {
            "title": "科技型中小企业研发费用后补助",
            "issuer": "中原区科技和工业信息化局",
            "benefit": ("按上年度研发费用增量的 10% 给予后补助，单个企业最高 50 万元。"),
            "deadline": date(2026, 12, 15),
            "apply_url": APPLY_PORTAL,
            "criteria": {
                "tags_any": ["科技型中小企业", "高新技术企业"],
                "headcount_max": 500,
                "questions": [{"text": "上年度是否有研发费用支出", "expect": True}],
            },
        },
        {
            "title": "初创企业经营场所租金补贴",
            "issuer": "中原区人力资源和社会保障局",
            "benefit": (
                "成立三年内的小微企业在区内租用经营场所的，"
                "按实际租金的 50% 补贴，每年最高 1 万元，最长 3 年。"
            ),
            "deadline": date(2026, 12, 31),
            "apply_url": APPLY_PORTAL,
            "criteria": {
                "founded_after": "2023-01-01",
                "sizes": ["small", "micro"],
                "questions": [{"text": "是否在中原区租用经营场所", "expect": True}],
            },
        },
        {
            "title": "限上商贸企业增量奖励",
            "issuer": "中原区商务局",
            "benefit": (
                "批发零售和住宿餐饮企业年度销售额（营业额）增速高于全区平均水平的，"
                "按增量部分的 1% 给予奖励，最高 30 万元。"
            ),
            "deadline": date(2027, 1, 31),
            "apply_url": APPLY_PORTAL,
            "criteria": {"industries": ["F", "H"], "revenue_min": 2000},
        },
        {
            "title": "商务楼宇入驻企业扶持",
            "issuer": "中原区楼宇经济发展服务中心",
            "benefit": (
                f"新入驻{exclusive.name}等重点楼宇的服务业企业，首年按实际租金的 30% 给予补贴。"
            ),
            "deadline": date(2027, 6, 30),
            "apply_url": APPLY_PORTAL,
            "criteria": {"regions": [exclusive.code], "industries": ["I", "J", "L", "M"]},
        },
        {
            "title": "工业企业技术改造补助",
            "issuer": "中原区科技和工业信息化局",
            "benefit": (
                "设备投资 500 万元以上的技术改造项目，按设备投资额的 8% 给予补助，最高 200 万元。"
            ),
            "deadline": date(2027, 4, 30),
            "apply_url": APPLY_PORTAL,
            "criteria": {
                "industries": ["C"],
                "revenue_min": 2000,
                "questions": [{"text": "是否有在建的技术改造项目", "expect": True}],
            },
        },
        {
            "title": "个体工商户转型升级为企业奖励",
            "issuer": "中原区市场监督管理局",
            "benefit": (
                "由个体工商户转为企业且正常经营满一年的，"
                "一次性奖励 5000 元，并免费提供一年代理记账服务。"
            ),
            "deadline": date(2026, 12, 31),
            "apply_url": APPLY_PORTAL,
            "criteria": {"tags_any": ["个转企"], "founded_after": "2025-01-01"},
        },
        {
            "title": "吸纳重点群体就业税费减免",
            "issuer": "国家税务总局郑州市中原区税务局",
            "benefit": (
                "招用脱贫人口或登记失业半年以上人员并签订一年以上劳动合同的，"
                "按每人每年定额依次扣减增值税、城市维护建设税、教育费附加和企业所得税。"
            ),
            "auto_grant": True,
            "criteria": {
                "questions": [{"text": "是否招用了脱贫人口或登记失业半年以上人员", "expect": True}]
            },
        },
        {
            "title": "餐饮场所燃气安全改造补贴",
            "issuer": f"{street.name}办事处",
            "benefit": (
                "为餐饮场所加装燃气泄漏报警和自动切断装置的，"
                "按改造费用的 50% 补贴，每户最高 3000 元。"
            ),
            "deadline": date(2026, 12, 20),
            "apply_url": APPLY_PORTAL,
            "criteria": {
                "industries": ["H"],
                "regions": [street.code],
                "headcount_max": 300,
                "questions": [{"text": "是否已安装燃气泄漏报警装置", "expect": False}],
            },
        },
        {
            "title": "文旅消费券承接商户招募",
            "issuer": "中原区文化广电和旅游局",
            "benefit": (
                "参与全区文旅消费季的商户，按核销金额的 5% 给予运营补贴，并在原点在线首页免费展示。"
            ),
            "deadline": date(2027, 2, 28),
            "criteria": {
                "industries": ["F", "H", "R"],
                "sizes": ["small", "micro"],
                "questions": [{"text": "是否有实体门店", "expect": True}],
            },
        },
    ]


def _uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91410102" + "MA" + "".join(rng.choice(alphabet) for _ in range(7))
    return body + uscc_std.calc_check_digit(body)


def _building_on(road: str, rng: random.Random) -> Building | None:
    rows = list(
        Building.objects.filter(is_sample=True, address__startswith=f"中原区{road}")
        .order_by("code")
        .values_list("pk", flat=True)[:200]
    )
    return Building.objects.filter(pk=rng.choice(rows)).first() if rows else None


@transaction.atomic
def seed_enterprises(*, rng: random.Random) -> int:
    """Enterprises, policies (published, so their pushes reach the demo enterprise user), one
    request and one visit. Returns the number of enterprises."""
    Enterprise.objects.filter(is_sample=True).delete()
    Policy.objects.filter(is_sample=True).delete()
    admin = User.objects.filter(phone="13800000001").first()
    exclusive = GridNode.objects.filter(level=GridLevel.EXCLUSIVE).order_by("code").first()
    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    if admin is None or exclusive is None or street is None:
        return 0
    made: list[Enterprise] = []
    for name, industry, size, founded, band, heads, tags, road in ENTERPRISES:
        lon: float | None
        lat: float | None
        if road:
            building = _building_on(road, rng)
            if building is None:
                continue
            lon, lat, address = building.lon, building.lat, building.address
        else:
            lon, lat = exclusive.centroid_lon, exclusive.centroid_lat
            address = f"{exclusive.name}写字楼 8 层"
        e = enterprise_create(
            actor=admin,
            data=EnterpriseInput(
                name=name,
                uscc=_uscc(rng),
                industry=industry,
                size=size,
                founded_on=date.fromisoformat(founded),
                revenue_band=band,
                headcount=heads,
                tags=tags,
                address=address,
                lon=lon,
                lat=lat,
                contact_name=rng.choice("王李张刘陈杨赵黄周吴")
                + rng.choice(["经理", "总", "会计"]),
                contact_phone=f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
            ),
        )
        made.append(e)
    Enterprise.objects.filter(pk__in=[e.pk for e in made]).update(is_sample=True)
    member = User.objects.filter(phone="13800000010").first()
    home = made[0] if made and not ENTERPRISES[0][7] else None
    if member is not None and home is not None:
        home.members.add(member)
        # Answers for a part of the questions, so the demo shows 符合, 待确认 and 不符合 alike.
        home.answers = {"上年度是否足额缴纳失业保险费": True, "是否有实体门店": False}
        home.save(update_fields=["answers"])
    for spec in policies(street, exclusive):
        p = policy_save(actor=admin, data=PolicyInput(is_published=True, **spec))
        Policy.objects.filter(pk=p.pk).update(is_sample=True)
    if member is not None and home is not None:
        enterprise_request_submit(
            actor=member,
            enterprise=home,
            kind="help",
            description="写字楼地下车库入口的道闸坏了三天，早高峰车辆排到辅路上，请协调物业尽快修复。",
        )
    leader = User.objects.filter(
        grants__role=Role.EXCLUSIVE_GRID_LEADER, grants__node=exclusive
    ).first()
    if (
        leader is not None
        and home is not None
        and not EnterpriseVisit.objects.filter(enterprise=home).exists()
    ):
        enterprise_visit_record(
            actor=leader,
            enterprise=home,
            visited_on=None,
            topics=["policy", "staff"],
            problems="企业计划扩招 10 名运营人员，对稳岗返还和吸纳就业减免政策不了解。",
            follow_up="把两项政策的申报要点发给企业，下周回访。",
        )
    return len(made)
