"""What residents of the demo street see around them, through each app's services: grid notices,
附近 service places on the map, 圈子 posts with comments and likes, and 乐享闲置 listings with
photos. Sample data, in the sample grids."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, RoleGrant, User
from wangge.circles.models import Circle, Post
from wangge.circles.services import comment_create, like_toggle, post_create
from wangge.demo.cast import demo_nodes
from wangge.demo.people import sample_photo
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.market.models import Listing
from wangge.market.services import listing_post
from wangge.moderation.models import Kind
from wangge.moderation.services import sample_content_cleared
from wangge.notices.models import Notice, Offer, ServicePlace
from wangge.notices.services import notice_publish, service_place_add

# (kind, title, body, pinned, days until it expires or None)
STREET_NOTICES = [
    (
        Notice.Kind.ANTI_FRAUD,
        "警惕冒充客服退款诈骗",
        "近期辖区发生多起冒充电商客服以“退款”“理赔”为由诱导转账的诈骗案件。"
        "凡是要求下载陌生软件、开启屏幕共享、向“安全账户”转账的，都是诈骗！"
        "如有疑问请拨打 96110 反诈专线咨询。",
        True,
        None,
    ),
    (
        Notice.Kind.WEATHER,
        "寒潮蓝色预警",
        "受强冷空气影响，未来三天我区气温将下降 8 至 10℃，并伴有 5 级左右偏北风。"
        "请居民注意防寒保暖，检查燃气热水器和取暖设备，独居老人家属请多联系问候。",
        False,
        3,
    ),
    (
        Notice.Kind.POLICY,
        "{next_year} 年度城乡居民医保开始缴费",
        "{next_year} 年度城乡居民基本医疗保险集中缴费期已开始，个人缴费标准以医保部门公布为准。"
        "可通过“豫事办”、各大银行手机客户端缴费，行动不便的老人可到社区党群服务中心由工作人员协助办理。",
        False,
        None,
    ),
]
COMMUNITY_NOTICES = [
    (
        Notice.Kind.ACTIVITY,
        "周六上午义诊和免费理发",
        "本周六上午 9:00–11:30，社区卫生服务站医生和志愿者在社区广场开展义诊、量血压、免费理发，"
        "欢迎居民参加，行动不便的老人可提前联系网格员预约上门。",
        False,
        6,
    ),
    (
        Notice.Kind.OUTAGE,
        "3 号楼至 6 号楼计划停水通知",
        "因供水管网维修，明天 8:00 至 14:00 3 号楼至 6 号楼停水，请提前储水。"
        "如遇特殊困难请联系网格员。",
        False,
        2,
    ),
    (
        Notice.Kind.LOST_FOUND,
        "拾到钥匙一串",
        "昨天下午在小区南门花坛边拾到钥匙一串（带蓝色挂件），请失主到社区党群服务中心认领。",
        False,
        14,
    ),
]
GRID_NOTICES = [
    (
        Notice.Kind.OTHER,
        "楼道杂物集中清理",
        "为消除消防隐患，本周五前请各户清理楼道内堆放的杂物和电动车，"
        "网格员和楼栋长将于周六上午逐栋检查，逾期未清理的将统一清运。",
        False,
        5,
    ),
]

PLACES = [
    # kind, name suffix, hours, services
    (
        ServicePlace.Kind.PARTY_CENTER,
        "党群服务中心",
        "周一至周日 8:30–18:00",
        [Offer.STUDY, Offer.WATER, Offer.REST, Offer.INTERNET],
    ),
    (
        ServicePlace.Kind.GRID_HOME,
        "网格家园",
        "周一至周六 8:00–20:00",
        [
            Offer.STUDY,
            Offer.WATER,
            Offer.MEALS,
            Offer.CHARGE,
            Offer.REST,
            Offer.WASH,
            Offer.INTERNET,
            Offer.PLAY,
        ],
    ),
    (
        ServicePlace.Kind.CARE_STATION,
        "爱心驿站",
        "全天开放",
        [Offer.WATER, Offer.CHARGE, Offer.REST],
    ),
    (
        ServicePlace.Kind.CIVILITY,
        "新时代文明实践站",
        "周二至周日 9:00–17:00",
        [Offer.STUDY, Offer.PLAY],
    ),
    (ServicePlace.Kind.CABINET, "积分兑换柜", "周一至周六 9:00–17:00", []),
    (ServicePlace.Kind.CHARGING, "电动车充电点", "全天开放", [Offer.CHARGE]),
]

POSTS = [
    (Circle.RESIDENTS, "今天早上小区门口的早市来了新鲜的槐花，蒸菜的可以去看看～"),
    (Circle.RESIDENTS, "谁家的橘猫在 5 号楼楼道里，挺乖的，脖子上有个铃铛，主人快来领。"),
    (Circle.RESIDENTS, "感谢网格员帮忙联系物业，楼道灯终于修好了，晚上回家不用摸黑了👍"),
    (Circle.RESIDENTS, "周末有没有一起去碧沙岗公园跳广场舞的？下午三点南门集合。"),
    (Circle.RESIDENTS, "提醒一下大家，最近有冒充燃气公司上门检查的，要看工作证再开门。"),
    (Circle.VOLUNTEERS, "上周的小广告清理活动一共清理了 12 个单元，辛苦各位志愿者！"),
    (Circle.VOLUNTEERS, "周六义诊需要两名会量血压的志愿者，有意的在评论区报个名。"),
    (Circle.BRANCH, "本月主题党日安排在 25 日下午，地点社区党群服务中心二楼。"),
    (Circle.BRANCH, "在职党员报到后记得认领服务岗位，楼栋党小组这个月重点关注独居老人。"),
]
COMMENTS = ["赞一个！", "收到，谢谢提醒", "我也去", "辛苦了", "已转发给家里老人"]

LISTINGS = [
    # kind, title, description, category, condition, price, photos
    (
        Listing.Kind.OFFER,
        "九成新儿童自行车",
        "孩子长高了骑不了，16 寸，带辅助轮。",
        Listing.Category.BABY,
        Listing.Condition.LIKE_NEW,
        "80",
        2,
    ),
    (
        Listing.Kind.OFFER,
        "实木书架一个",
        "搬家带不走，五层，自提。",
        Listing.Category.FURNITURE,
        Listing.Condition.GOOD,
        "0",
        1,
    ),
    (
        Listing.Kind.OFFER,
        "小学三年级课外书一批",
        "二十多本，免费送给需要的孩子。",
        Listing.Category.BOOKS,
        Listing.Condition.GOOD,
        "0",
        1,
    ),
    (
        Listing.Kind.OFFER,
        "电饭煲（3 升）",
        "换了新的，这个功能都正常。",
        Listing.Category.APPLIANCE,
        Listing.Condition.USABLE,
        "30",
        1,
    ),
    (
        Listing.Kind.OFFER,
        "冬季棉服两件",
        "XL 码，洗干净了，适合老人。",
        Listing.Category.CLOTHES,
        Listing.Condition.LIKE_NEW,
        "0",
        2,
    ),
    (
        Listing.Kind.WANTED,
        "求一个旧轮椅",
        "家里老人腿脚不便，想要一个能用的轮椅，可以付费。",
        Listing.Category.DAILY,
        "",
        "100",
        0,
    ),
    (
        Listing.Kind.OFFER,
        "婴儿床带床垫",
        "宝宝大了用不上，床垫很新。",
        Listing.Category.BABY,
        Listing.Condition.GOOD,
        "150",
        2,
    ),
    (
        Listing.Kind.WANTED,
        "求购二手书桌",
        "孩子写作业用，宽一米左右就行。",
        Listing.Category.FURNITURE,
        "",
        "50",
        0,
    ),
]


@dataclass
class CommunityReport:
    notices: int = 0
    places: int = 0
    posts: int = 0
    listings: int = 0


def _holder(role: str, node: GridNode) -> User | None:
    grant = RoleGrant.objects.filter(role=role, node=node).select_related("user").order_by("pk")
    first = grant.first()
    return first.user if first else None


def _expires(days: int | None) -> datetime | None:
    return timezone.now() + timedelta(days=days) if days else None


def seed_notices(street: GridNode, community: GridNode, report: CommunityReport) -> None:
    dispatcher = _holder(Role.STREET_DISPATCHER, street)
    staff = _holder(Role.COMMUNITY_STAFF, community)
    grid = GridNode.objects.filter(parent=community, level=GridLevel.GRID).order_by("code").first()
    worker = _holder(Role.GRID_WORKER, grid) if grid else None
    for actor, node, rows in (
        (dispatcher, street, STREET_NOTICES),
        (staff, community, COMMUNITY_NOTICES),
        (worker, grid, GRID_NOTICES),
    ):
        if actor is None or node is None:
            continue
        for kind, title, body, pinned, days in rows:
            # The insurance drive is for the coming year, whenever the demo is seeded.
            year = {"next_year": timezone.localdate().year + 1}
            notice_publish(
                actor=actor,
                node=node,
                title=title.format(**year),
                body=body.format(**year),
                kind=kind,
                pinned=pinned,
                expires_at=_expires(days),
            )
            report.notices += 1


def _short(name: str) -> str:
    return name.removesuffix("居民委员会").removesuffix("居委会")


def seed_places(rng: random.Random, street: GridNode, report: CommunityReport) -> None:
    """Every community of the demo street has its 党群服务中心 and 网格家园; the other kinds are
    spread over them, each near one of the community's buildings, so 附近 lists several."""
    communities = GridNode.objects.filter(parent=street, level=GridLevel.COMMUNITY)
    for i, community in enumerate(communities.order_by("code")):
        buildings = list(
            Building.objects.filter(micro_grid__path__startswith=community.path).order_by("code")[
                :200
            ]
        )
        if not buildings:
            continue
        for j, (kind, suffix, hours, services) in enumerate(PLACES):
            if j >= 2 and (i + j) % 2:
                continue
            near = rng.choice(buildings)
            service_place_add(
                node=community,
                kind=kind,
                name=f"{_short(community.name)}{suffix}",
                address=near.address,
                lon=near.lon + rng.uniform(-0.0004, 0.0004),
                lat=near.lat + rng.uniform(-0.0003, 0.0003),
                hours=hours,
                phone=f"0371-6{rng.randint(1000000, 9999999)}",
                services=services,
            )
            report.places += 1


def _home_people(community: GridNode) -> tuple[list[User], list[User]]:
    """(residents, party members) living in the community, oldest account first."""
    grants = RoleGrant.objects.filter(node__path__startswith=community.path)
    residents = list(
        User.objects.filter(grants__in=grants.filter(role=Role.RESIDENT)).distinct().order_by("pk")
    )
    members = list(
        User.objects.filter(grants__in=grants.filter(role=Role.PARTY_MEMBER))
        .distinct()
        .order_by("pk")
    )
    return residents, members


def _pick(people: list[User], i: int) -> User:
    return people[i % len(people)]


def seed_posts(rng: random.Random, community: GridNode, report: CommunityReport) -> None:
    residents, members = _home_people(community)
    if not residents or not members:
        return
    neighbours = residents + members
    made: list[Post] = []
    for i, (circle, text) in enumerate(POSTS):
        author = _pick(members if circle == Circle.BRANCH else residents, i)
        post = post_create(author=author, circle=circle, text=text)
        sample_content_cleared(kind=Kind.POST, object_id=post.pk)
        made.append(post)
        report.posts += 1
        for k in range(i % 3 + 1):
            comment = comment_create(
                post=post,
                author=neighbours[(i + k + 1) % len(neighbours)],
                text=COMMENTS[(i + k) % len(COMMENTS)],
            )
            sample_content_cleared(kind=Kind.COMMENT, object_id=comment.pk)
        for liker in rng.sample(neighbours, k=min(len(neighbours), 2 + i % 4)):
            if liker.pk != author.pk:
                like_toggle(post=post, user=liker)
    # Written over the last two days rather than all this second: the feed reads like one.
    now = timezone.now()
    for n, post in enumerate(reversed(made)):
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=5 * n + 1))


def seed_listings(community: GridNode, report: CommunityReport) -> None:
    residents, _members = _home_people(community)
    if not residents:
        return
    for i, (kind, title, text, category, condition, price, photos) in enumerate(LISTINGS):
        owner = residents[i % len(residents)]
        listing = listing_post(
            owner=owner,
            kind=kind,
            title=title,
            description=text,
            category=category,
            condition=condition,
            price=Decimal(price),
            pickup_area="小区南门",
            photos=[sample_photo(7000 + 10 * i + k) for k in range(photos)],
        )
        # Sample photos from the web would wait for a person to review them, as a resident's do.
        sample_content_cleared(kind=Kind.LISTING, object_id=listing.pk)
        report.listings += 1


@transaction.atomic
def seed_community(*, rng: random.Random) -> CommunityReport:
    nodes = demo_nodes()
    street, community = nodes["street"], nodes["community"]
    report = CommunityReport()
    seed_notices(street, community, report)
    seed_places(rng, street, report)
    seed_posts(rng, community, report)
    seed_listings(community, report)
    return report


def reset_community() -> None:
    """Notices and places of the sample grids (they protect the grid nodes and publishers);
    posts and listings go with their demo authors."""
    Notice.objects.filter(node__is_sample=True).delete()
    ServicePlace.objects.filter(node__is_sample=True).delete()
