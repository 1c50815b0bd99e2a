"""积分兑换 pages: the resident's wallet and mall in the app shell, and the counter where a
cabinet keeper or merchant clerk captures vouchers on the phone."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.calendar import local_date, midnight
from wangge.core.errors import PermissionDenied
from wangge.core.masking import mask_name
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.points import mall
from wangge.points.expiry import expiring_soon
from wangge.points.forms import CounterCodeForm, RedeemForm
from wangge.points.models import Cabinet, Item, Merchant, Voucher
from wangge.points.qr import qr_svg
from wangge.points.selectors import entries_of, items_redeemable, statement, vouchers_owned
from wangge.points.services import wallet_for


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    wallet = wallet_for(user)
    items = items_redeemable()
    cabinets, merchants = mall.places_of(user)
    return render(
        request,
        "points/home.html",
        {
            "tab": "home",
            "wallet": wallet,
            "soon": expiring_soon(wallet),
            # Two lists on one page, each with its own pager that keeps the other's place.
            "goods": paginate(request, items.filter(kind=Item.Kind.GOODS), 20, param="goods_page"),
            "offers": paginate(
                request, items.filter(kind=Item.Kind.OFFER), 20, param="offers_page"
            ),
            "open_vouchers": Voucher.objects.filter(
                owner=user, status=Voucher.Status.ISSUED
            ).count(),
            "recent": statement(wallet, limit=5).history,
            "is_counter": bool(cabinets or merchants),
        },
    )


@login_required
def history(request: AuthedRequest) -> HttpResponse:
    wallet = wallet_for(request.user)
    page = paginate(request, entries_of(wallet), 30)
    return render(
        request,
        "points/history.html",
        {"tab": "home", "wallet": wallet, "page": page, "rows": page},
    )


@login_required
def item_detail(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = items_redeemable().filter(pk=item_id).first()
    if item is None:
        raise Http404
    return render(
        request,
        "points/item.html",
        {
            "tab": "home",
            "item": item,
            "wallet": wallet_for(request.user),
            # One key per page view: a double tap or a resent form gets the same voucher.
            "key": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def redeem(request: AuthedRequest, item_id: int) -> HttpResponse:
    with flash_refusal(request):
        r = mall.redemption_create(
            owner=request.user,
            item_id=item_id,
            idempotency_key=cleaned(RedeemForm(request.POST))["idempotency_key"],
        )
        if r.created:
            messages.success(request, _("兑换成功，请凭兑换码领取"))
        return redirect("points:voucher", code=r.voucher.code)
    return redirect("points:item", item_id=item_id)


@login_required
def vouchers(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, vouchers_owned(request.user), 20)
    return render(request, "points/vouchers.html", {"tab": "home", "page": page})


def _own_voucher(user: User, code: str) -> Voucher:
    voucher = (
        Voucher.objects.select_related("item__cabinet", "item__merchant")
        .filter(owner=user, code=mall.normalize_code(code))
        .first()
    )
    if voucher is None:
        raise Http404
    return voucher


@login_required
def voucher_detail(request: AuthedRequest, code: str) -> HttpResponse:
    voucher = _own_voucher(request.user, code)
    qr = ""
    if voucher.is_open:
        # The QR opens the counter's scan page with the code filled in: any phone camera
        # reads it, so the counter needs no scanner of its own.
        link = request.build_absolute_uri(f"{reverse('points:scan')}?code={voucher.code}")
        qr = mark_safe(qr_svg(link))  # noqa: S308 — markup made by qrcode from our own URL
    return render(request, "points/voucher.html", {"tab": "home", "voucher": voucher, "qr": qr})


@login_required
@require_POST
def voucher_cancel(request: AuthedRequest, code: str) -> HttpResponse:
    with flash_refusal(request):
        mall.voucher_cancel(code=code, owner=request.user)
        messages.success(request, _("已取消兑换，活力值已退回"))
    return redirect("points:voucher", code=mall.normalize_code(code))


def _counter_places(user: User) -> tuple[list[Cabinet], list[Merchant]]:
    cabinet_ids, merchant_ids = mall.places_of(user)
    if not cabinet_ids and not merchant_ids:
        raise PermissionDenied(_("只有兑换柜管理员或联盟商户可以使用兑换台"))
    return (
        list(Cabinet.objects.filter(pk__in=cabinet_ids).prefetch_related("items")),
        list(Merchant.objects.filter(pk__in=merchant_ids).prefetch_related("offers")),
    )


def _today_at(cabinets: list[Cabinet], merchants: list[Merchant]) -> QuerySet[Voucher]:
    start = midnight(local_date(timezone.now()))
    return (
        Voucher.objects.filter(status=Voucher.Status.USED, settled_at__gte=start)
        .filter(
            Q(item__cabinet__in=[c.pk for c in cabinets])
            | Q(item__merchant__in=[m.pk for m in merchants])
        )
        .select_related("item", "owner", "captured_by")
        .order_by("-settled_at")
    )


@login_required
def counter(request: AuthedRequest) -> HttpResponse:
    cabinets, merchants = _counter_places(request.user)
    today = _today_at(cabinets, merchants)
    totals = today.aggregate(n=Count("id"), points=Sum("points"))
    page = paginate(request, today, 30)
    return render(
        request,
        "points/counter.html",
        {
            "tab": "home",
            "cabinets": cabinets,
            "merchants": merchants,
            "page": page,
            "today": [(v, mask_name(v.owner.name)) for v in page],
            "today_count": totals["n"],
            "today_points": totals["points"] or 0,
        },
    )


@login_required
def counter_scan(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _counter_places(user)
    code = mall.normalize_code(
        cleaned(CounterCodeForm(request.POST))["code"]
        or cleaned(CounterCodeForm(request.GET))["code"]
    )
    ctx: dict[str, object] = {"tab": "home", "code": code}
    if request.method == "POST":
        with Refusal() as refusal:
            voucher = mall.voucher_capture(code=code, actor=user)
            messages.success(
                request,
                _("核销成功：%(item)s（%(code)s）")
                % {"item": voucher.item.name, "code": voucher.display_code},
            )
            return redirect("points:counter")
        ctx["error"] = refusal.message
    if code:
        found = Voucher.objects.select_related("item", "owner").filter(code=code).first()
        if found is None:
            ctx.setdefault("error", _("兑换码不存在，请核对后重新输入"))
        elif not mall.may_capture(user, found.item):
            ctx.setdefault(
                "error",
                _("该兑换券属于%(place)s，不能在这里核销") % {"place": found.item.place_name},
            )
        else:
            ctx["voucher"] = found
            ctx["owner_name"] = mask_name(found.owner.name)
    return render(request, "points/scan.html", ctx)
