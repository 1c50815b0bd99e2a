"""Signing in by text message, real-name verification, and binding to a home.

Codes: 6 digits, valid 5 minutes, 5 attempts, one per phone per minute and 10 per day, 20 per
address per hour. The code itself goes only to the SMS backend; the database keeps a keyed hash.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_phone
from wangge.accounts.models import ResidenceClaim, Role, RoleGrant, SmsCode, User
from wangge.accounts.services import role_grant, user_create, user_set_real_name
from wangge.accounts.signals import sms_code_issued
from wangge.core import pii
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
PER_PHONE_INTERVAL = timedelta(seconds=60)
PER_PHONE_DAILY = 10


class RateLimited(ValidationFailed):
    status_code = 429


def _hash(phone: str, code: str) -> str:
    return pii.lookup_hash(f"sms:{phone}:{code}")


@transaction.atomic
def sms_code_request(*, phone: str, ip: str | None = None) -> str:
    """Issue a code and queue its text message. Returns the code for the demo login page,
    which shows it in DEMO_MODE (no gateway there); no other caller may show or log it."""
    phone = normalize_phone(phone)
    now = timezone.now()
    phone_hash = pii.phone_hash(phone)
    recent = SmsCode.objects.select_for_update().filter(
        phone_hash=phone_hash, created_at__gte=now - timedelta(days=1)
    )
    if recent.filter(created_at__gte=now - PER_PHONE_INTERVAL).exists():
        raise RateLimited(_("验证码已发送，请 1 分钟后再试"))
    if recent.count() >= PER_PHONE_DAILY:
        raise RateLimited(_("今天获取验证码的次数太多，请明天再试"))
    if (
        ip
        and SmsCode.objects.filter(ip_address=ip, created_at__gte=now - timedelta(hours=1)).count()
        >= settings.SMS_CODES_PER_ADDRESS_HOURLY
    ):
        raise RateLimited(_("请求过于频繁，请稍后再试"))
    code = f"{secrets.randbelow(1_000_000):06d}"
    SmsCode.objects.create(
        phone_hash=phone_hash,
        code_hash=_hash(phone, code),
        ip_address=ip,
        expires_at=now + CODE_TTL,
    )
    sms_code_issued.send(
        sender=User,
        phone=phone,
        text=_("【原点在线】验证码 %(code)s，5 分钟内有效。请勿告诉他人。") % {"code": code},
        code=code,
    )
    return code


def sms_code_login(*, phone: str, code: str) -> tuple[User, bool]:
    """Check a code; returns the person (created on first login) and whether they are new.

    Not one transaction on purpose: a wrong guess must count even though the call then fails,
    so the attempt counter is bumped with its own conditional UPDATE before refusing.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    row = (
        SmsCode.objects.filter(
            phone_hash=pii.phone_hash(phone), used_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise ValidationFailed(_("验证码已过期，请重新获取"))
    if row.attempts >= MAX_ATTEMPTS:
        raise ValidationFailed(_("验证码错误次数过多，请重新获取"))
    if not secrets.compare_digest(row.code_hash, _hash(phone, (code or "").strip())):
        SmsCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise ValidationFailed(_("验证码不正确"))
    with transaction.atomic():
        # Two taps on 登录 with the same code: only the one that marks it used logs in.
        if not SmsCode.objects.filter(
            pk=row.pk, used_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        ).update(used_at=now):
            raise ValidationFailed(_("验证码已过期，请重新获取"))
        user = User.objects.filter(phone=phone).first()
        if user is not None:
            if not user.is_active:
                raise PermissionDenied(_("该账号已停用"))
            return user, False
        return user_create(phone=phone, name=""), True


@transaction.atomic
def real_name_verify(*, user: User, name: str, id_number: str) -> User:
    if not name.strip():
        raise ValidationFailed(_("请填写姓名"))
    return user_set_real_name(user=user, name=name, id_number=id_number)


@transaction.atomic
def residence_claim(*, user: User, building: Building, room: str) -> ResidenceClaim:
    if not user.real_name_verified_at:
        raise ValidationFailed(_("请先完成实名认证"))
    room = room.strip()
    if not room:
        raise ValidationFailed(_("请填写单元和房号"))
    if ResidenceClaim.objects.filter(user=user, status=ResidenceClaim.Status.PENDING).exists():
        raise Conflict(_("您已有一条待确认的住址，请等待网格员确认"))
    return ResidenceClaim.objects.create(
        user=user, building=building, room=room[:30], grid_path=building.micro_grid.path
    )


@transaction.atomic
def residence_decide(
    *, actor: User, claim_id: int, confirm: bool, note: str = ""
) -> ResidenceClaim:
    """The grid worker of the building's grid confirms (the person becomes its resident) or not."""
    claim = (
        ResidenceClaim.objects.select_for_update(of=("self",))
        .select_related("building__micro_grid", "user")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not actor.is_grid_staff or not path_in_scope(actor, claim.grid_path):
        raise PermissionDenied(_("无权确认该住址"))
    if claim.status != ResidenceClaim.Status.PENDING:
        raise Conflict(_("该申请已处理"))
    if not confirm and not note.strip():
        raise ValidationFailed(_("请填写未通过的原因"))
    claim.status = ResidenceClaim.Status.CONFIRMED if confirm else ResidenceClaim.Status.REJECTED
    claim.decided_by, claim.decided_at, claim.note = actor, timezone.now(), note.strip()[:200]
    claim.save()
    if confirm:
        # A confirmed new address is a move: the home it replaces is let go (the grant's
        # history row keeps where they lived and who confirmed the move), so notices, circles
        # and 身边事 follow them, across a district line too. What is the person's own stays:
        # their reports, their 活力值 and what they earned and spent.
        moved_from = RoleGrant.objects.filter(user=claim.user, role=Role.RESIDENT).exclude(
            node=claim.building.micro_grid
        )
        for old in moved_from:
            old._change_reason = _("住址变更：迁至%(a)s") % {"a": claim.building.address}  # type: ignore[attr-defined]
            old.delete()
        role_grant(
            user=claim.user, role=Role.RESIDENT, node=claim.building.micro_grid, granted_by=actor
        )
        claim.user.__dict__.pop("_role_codes", None)
        claim.user.__dict__.pop("_scope_paths", None)
    return claim
