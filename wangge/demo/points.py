"""Demo data for 积分兑换: exchange cabinets in community service centres, alliance merchants on
real roads of 中原区, their goods and offers, a funded budget, and a resident who has earned
活力值 by the seeded rules and redeemed once. Called from the demo seed; undone by its reset."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from wangge.accounts.models import User
from wangge.grids.models import GridLevel, GridNode
from wangge.points.mall import item_restock, redemption_create
from wangge.points.models import (
    Account,
    Cabinet,
    Earning,
    Entry,
    Hold,
    Item,
    Merchant,
    StockMovement,
    Transfer,
    Voucher,
)
from wangge.points.rules import default_rules_load
from wangge.points.services import earn, points_budget, system_account

ISSUER_NAME = "中原区新时代文明实践志愿服务中心"
KEEPER_PHONE = "13800000003"  # 孙丽华, community staff, keeps the cabinet
MERCHANT_PHONE = "13800000011"  # 褚明, the alliance merchant
RESIDENT_PHONE = "13800000014"  # 王秀兰
PARTY_MEMBER_PHONE = "13800000013"  # 蒋文博

# (name, points, stock, description)
GOODS = [
    ("抽纸 10 包", 60, 40, "三层原生木浆"),
    ("洗衣液 1 升", 100, 30, ""),
    ("牙膏牙刷套装", 40, 50, ""),
    ("大米 5 公斤", 250, 12, "新米，柜内领取时请自备袋子"),
    ("食用油 5 升", 300, 8, ""),
    ("折叠雨伞", 120, 15, ""),
]
# (name, address, phone, [(offer, points, quantity, type, terms)])
MERCHANTS = [
    (
        "建设路老张理发店",
        "建设路 86 号",
        "0371-67000001",
        [
            ("60 岁以上老人免费理发", 50, 30, "free", "凭身份证，工作日上午"),
            ("洗剪吹 8 折", 30, 50, "discount", "节假日除外"),
        ],
    ),
    (
        "桐柏路便民修鞋配钥匙",
        "桐柏路 132 号",
        "",
        [("免费配钥匙一把", 30, 40, "free", "普通单面钥匙")],
    ),
    (
        "伏牛路社区药房",
        "伏牛路 58 号",
        "0371-67000003",
        [("免费测血压血糖", 20, 100, "free", "每人每月一次")],
    ),
    (
        "中原路家电维修",
        "中原路 175 号",
        "0371-67000004",
        [("上门检修免上门费", 80, 20, "free", "中原区内，维修材料另计")],
    ),
]


def _nodes() -> tuple[GridNode, GridNode | None, list[GridNode]]:
    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    assert street is not None
    communities = list(
        GridNode.objects.filter(parent=street, level=GridLevel.COMMUNITY).order_by("code")[:2]
    )
    grids = list(
        GridNode.objects.filter(parent=communities[0], level=GridLevel.GRID).order_by("code")
    )
    return communities[0], (communities[1] if len(communities) > 1 else None), grids


def _short(name: str) -> str:
    return name.removesuffix("居委会").removesuffix("村委会")


@transaction.atomic
def seed_points_demo() -> None:
    if Cabinet.objects.filter(node__is_sample=True).exists():
        return
    default_rules_load()  # the demo earns by them, also on a database whose seed was flushed
    community, neighbour, grids = _nodes()
    keeper = User.objects.filter(phone=KEEPER_PHONE).first()
    clerk = User.objects.filter(phone=MERCHANT_PHONE).first()
    issuer = system_account(Account.Kind.ISSUER, ISSUER_NAME)
    points_budget(issuer=issuer, amount=200_000, key="demo:budget", reason="2026 年度活力值预算")

    places = [(community, GOODS)] + ([(neighbour, GOODS[:4])] if neighbour else [])
    for node, goods in places:
        cabinet = Cabinet.objects.create(
            name=f"{_short(node.name)}兑换柜",
            place=f"{_short(node.name)}党群服务中心一楼",
            node=node,
            opening_hours="周一至周六 9:00–17:00",
        )
        if keeper is not None and node == community:
            cabinet.keepers.add(keeper)
        for name, points, stock, description in goods:
            item = Item.objects.create(
                kind=Item.Kind.GOODS,
                cabinet=cabinet,
                name=name,
                points=points,
                description=description,
            )
            item_restock(item=item, quantity=stock, actor=keeper, note="首批入柜")

    valid_until = timezone.localdate() + timedelta(days=180)
    for i, (name, address, phone, offers) in enumerate(MERCHANTS):
        merchant = Merchant.objects.create(
            name=name, address=address, phone=phone, node=grids[i % len(grids)]
        )
        if clerk is not None and i == 0:
            merchant.staff.add(clerk)
        for offer, points, quantity, offer_type, terms in offers:
            item = Item.objects.create(
                kind=Item.Kind.OFFER,
                merchant=merchant,
                name=offer,
                points=points,
                offer_type=offer_type,
                terms=terms,
                valid_until=valid_until,
            )
            item_restock(item=item, quantity=quantity, actor=clerk, note="商户上架")

    now = timezone.now()
    resident = User.objects.filter(phone=RESIDENT_PHONE).first()
    if resident is not None:
        for day in (9, 6, 3):
            earn(
                rule_code="volunteer_hour_environment",
                owner=resident,
                issuer_account=issuer,
                quantity=3,
                idempotency_key=f"demo:clean:{day}",
                reason="碧沙岗公园周边环境整治 3 小时",
                occurred_at=now - timedelta(days=day),
            )
        earn(
            rule_code="wish_fulfilled",
            owner=resident,
            issuer_account=issuer,
            idempotency_key="demo:wish",
            reason="帮独居老人代购一周蔬菜",
            occurred_at=now - timedelta(days=2),
        )
        earn(
            rule_code="activity_join",
            owner=resident,
            issuer_account=issuer,
            idempotency_key="demo:festival",
            reason="参加邻居节",
            occurred_at=now - timedelta(days=1),
        )
        tissue = Item.objects.filter(name="抽纸 10 包", cabinet__node=community).first()
        if tissue is not None:
            redemption_create(owner=resident, item_id=tissue.pk, idempotency_key="demo:tissue")
    member = User.objects.filter(phone=PARTY_MEMBER_PHONE).first()
    if member is not None:
        earn(
            rule_code="volunteer_hour_policy",
            owner=member,
            issuer_account=issuer,
            quantity=4,
            idempotency_key="demo:policy",
            reason="楼院政策宣传 4 小时",
            occurred_at=now - timedelta(days=4),
        )


@transaction.atomic
def reset_points_demo() -> None:
    """Remove the demo's points data, so demo users and sample grids can be deleted. The
    accounts it touched lose their transfers whole; any other account that shared a transfer
    (the district's mint) has its cached balance recomputed from what remains."""
    demo_users = User.objects.filter(is_demo=True)
    cabinets = Cabinet.objects.filter(node__is_sample=True)
    merchants = Merchant.objects.filter(node__is_sample=True)
    accounts = Account.objects.filter(
        Q(owner__in=demo_users)
        | Q(cabinet__in=cabinets)
        | Q(merchant__in=merchants)
        | Q(kind=Account.Kind.ISSUER, name=ISSUER_NAME)
    )
    account_ids = list(accounts.values_list("pk", flat=True))
    transfer_ids = list(
        Entry.objects.filter(account_id__in=account_ids).values_list("transfer_id", flat=True)
    )
    touched = set(
        Entry.objects.filter(transfer_id__in=transfer_ids)
        .exclude(account_id__in=account_ids)
        .values_list("account_id", flat=True)
    )
    items = Item.objects.filter(Q(cabinet__in=cabinets) | Q(merchant__in=merchants))
    vouchers = Voucher.objects.filter(Q(item__in=items) | Q(owner__in=demo_users))
    StockMovement.objects.filter(Q(item__in=items) | Q(voucher__in=vouchers)).delete()
    hold_ids = list(vouchers.values_list("hold_id", flat=True))
    vouchers.delete()
    Earning.objects.filter(Q(owner__in=demo_users) | Q(transfer_id__in=transfer_ids)).delete()
    items.delete()
    cabinets.delete()
    merchants.delete()
    Entry.objects.filter(transfer_id__in=transfer_ids).delete()
    Transfer.objects.filter(pk__in=transfer_ids).update(reverses=None, hold=None)
    Transfer.objects.filter(pk__in=transfer_ids).delete()
    Hold.objects.filter(Q(pk__in=hold_ids) | Q(account_id__in=account_ids)).delete()
    Account.objects.filter(pk__in=account_ids).delete()
    for account in Account.objects.filter(pk__in=touched):
        sums = account.entries.aggregate(a=Sum("amount"), h=Sum("held_delta"))
        account.balance, account.held = sums["a"] or 0, sums["h"] or 0
        account.save(update_fields=["balance", "held"])
