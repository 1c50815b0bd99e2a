from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from wangge.core.paging import api_page
from wangge.core.schemas import PageInfo, PageQuery
from wangge.core.web import AuthedRequest
from wangge.points import mall
from wangge.points.expiry import expiring_soon
from wangge.points.models import Item, Voucher
from wangge.points.selectors import items_redeemable, statement, vouchers_owned
from wangge.points.services import wallet_for

router = Router(tags=["活力值"])


class Detail(Schema):
    detail: str


class EntryOut(Schema):
    kind: str
    reason: str
    amount: int
    held_delta: int
    at: datetime


class ExpiringOut(Schema):
    amount: int
    on: date


class PointsStatementOut(Schema):
    balance: int
    available: int
    held: int
    expiring_soon: ExpiringOut
    history: list[EntryOut]


@router.get(
    "/me", response=PointsStatementOut, summary="我的活力值：余额、可用、冻结、即将过期与流水"
)
def me(request: AuthedRequest) -> PointsStatementOut:
    wallet = wallet_for(request.user)
    s = statement(wallet)
    soon = expiring_soon(wallet)
    return PointsStatementOut(
        balance=s.balance,
        available=s.available,
        held=s.held,
        expiring_soon=ExpiringOut(amount=soon.amount, on=soon.on),
        history=[
            EntryOut(
                kind=e.transfer.kind,
                reason=e.transfer.reason,
                amount=e.amount,
                held_delta=e.held_delta,
                at=e.created_at,
            )
            for e in s.history
        ],
    )


class ItemOut(Schema):
    id: int
    kind: str = Field(description="goods = 兑换柜物品，offer = 联盟商户优惠")
    name: str
    description: str
    points: int
    stock: int
    place: str = Field(description="兑换柜或商户名称")
    address: str
    offer_type: str
    terms: str
    valid_until: date | None


def item_out(item: Item) -> ItemOut:
    if item.kind == Item.Kind.GOODS:
        assert item.cabinet is not None
        address = item.cabinet.place
    else:
        assert item.merchant is not None
        address = item.merchant.address
    return ItemOut(
        id=item.pk,
        kind=item.kind,
        name=item.name,
        description=item.description,
        points=item.points,
        stock=item.stock,
        place=item.place_name,
        address=address,
        offer_type=item.offer_type,
        terms=item.terms,
        valid_until=item.valid_until,
    )


class ItemPage(PageInfo):
    results: list[ItemOut]


@router.get("/items", response=ItemPage, summary="可兑换的物品与商户优惠（分页）")
def items(request: AuthedRequest, query: Query[PageQuery]) -> ItemPage:
    info, rows = api_page(request, items_redeemable(), query.page, query.page_size)
    return ItemPage(**info, results=[item_out(i) for i in rows])


class VoucherOut(Schema):
    code: str = Field(description="兑换码（核销时输入，可含或不含连字符）")
    display_code: str
    status: str
    status_label: str
    points: int
    item: ItemOut
    expires_at: datetime
    created_at: datetime
    settled_at: datetime | None


def voucher_out(v: Voucher) -> VoucherOut:
    return VoucherOut(
        code=v.code,
        display_code=v.display_code,
        status=v.status,
        status_label=v.get_status_display(),
        points=v.points,
        item=item_out(v.item),
        expires_at=v.expires_at,
        created_at=v.created_at,
        settled_at=v.settled_at,
    )


def _full(v: Voucher) -> Voucher:
    return Voucher.objects.select_related("item__cabinet", "item__merchant").get(pk=v.pk)


class RedemptionIn(Schema):
    item_id: int = Field(..., ge=1, le=2**62)
    idempotency_key: str = Field(
        ..., min_length=1, max_length=64, description="客户端生成；重复提交返回同一张兑换券"
    )


@router.post(
    "/redemptions",
    response={201: VoucherOut, 200: VoucherOut, 404: Detail, 409: Detail, 422: Detail},
    summary="兑换：冻结活力值并预留库存，返回兑换券",
)
def redeem(request: AuthedRequest, body: RedemptionIn) -> Reply[VoucherOut]:
    r = mall.redemption_create(
        owner=request.user, item_id=body.item_id, idempotency_key=body.idempotency_key
    )
    return Reply(201 if r.created else 200, voucher_out(_full(r.voucher)))


class VoucherPage(PageInfo):
    results: list[VoucherOut]


@router.get("/vouchers", response=VoucherPage, summary="我的兑换券（分页）")
def my_vouchers(request: AuthedRequest, query: Query[PageQuery]) -> VoucherPage:
    info, rows = api_page(request, vouchers_owned(request.user), query.page, query.page_size)
    return VoucherPage(**info, results=[voucher_out(v) for v in rows])


@router.post(
    "/vouchers/{code}/capture",
    response={200: VoucherOut, 403: Detail, 404: Detail, 409: Detail},
    summary="核销兑换券（兑换柜管理员或该商户店员）",
)
def capture(request: AuthedRequest, code: str) -> VoucherOut:
    return voucher_out(_full(mall.voucher_capture(code=code, actor=request.user)))


@router.post(
    "/vouchers/{code}/cancel",
    response={200: VoucherOut, 404: Detail, 409: Detail},
    summary="取消兑换券：解冻活力值、退回库存",
)
def cancel(request: AuthedRequest, code: str) -> VoucherOut:
    return voucher_out(_full(mall.voucher_cancel(code=code, owner=request.user)))
