"""Every write about people and their roles."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_id_number, normalize_phone
from wangge.accounts.models import (
    ID_REVEAL_ROLES,
    PHONE_REVEAL_ROLES,
    ApiToken,
    PersonalDataAccess,
    Role,
    RoleGrant,
    User,
)
from wangge.core import pii
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.grids.models import GridNode


@transaction.atomic
def user_create(
    *,
    phone: str,
    name: str,
    password: str | None = None,
    id_number: str | None = None,
    is_demo: bool = False,
    is_staff: bool = False,
) -> User:
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise ValidationFailed(_("该手机号已注册"))
    user = User(phone=phone, name=name.strip(), is_demo=is_demo, is_staff=is_staff)
    user.set_password(password)
    if id_number:
        _set_id_number(user, id_number)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two registrations racing on the same phone or ID: the constraint decides.
        raise ValidationFailed(_("该手机号或身份证号已被使用")) from exc
    return user


def _set_id_number(user: User, id_number: str) -> None:
    value = normalize_id_number(id_number)
    digest = pii.lookup_hash(value)
    if User.objects.filter(id_number_hash=digest).exclude(pk=user.pk).exists():
        raise ValidationFailed(_("该身份证号已被其他账号使用"))
    user.id_number_encrypted = pii.encrypt(value)
    user.id_number_hash = digest


@transaction.atomic
def user_set_real_name(*, user: User, name: str, id_number: str) -> User:
    user.name = name.strip()
    _set_id_number(user, id_number)
    user.real_name_verified_at = timezone.now()
    user.save(
        update_fields=["name", "id_number_encrypted", "id_number_hash", "real_name_verified_at"]
    )
    return user


@transaction.atomic
def role_grant(
    *, user: User, role: str, node: GridNode, granted_by: User | None = None
) -> RoleGrant:
    if role not in Role.values:
        raise ValidationFailed(_("未知角色：%(role)s") % {"role": role})
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, node=node, defaults={"granted_by": granted_by}
    )
    return grant


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the key; the key is shown once and never stored in clear."""
    prefix = secrets.token_hex(4)
    key = f"wg_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=ApiToken.hash_key(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(key: str) -> User | None:
    if not key.startswith("wg_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.is_demo and not settings.DEMO_MODE:
        return None
    now = timezone.now()
    # Write at most once a minute per token: a hotline posting 200 orders/s must not turn every
    # request into an UPDATE on the same row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def audit_reveal(
    *,
    actor: User,
    subject: User | None,
    field: str,
    roles: frozenset[str],
    purpose: str,
    ip: str | None,
    label: str = "",
) -> None:
    """Check the actor's role for this field and write the audit row (caller's transaction)."""
    if not (actor.is_superuser or actor.has_role(*roles)):
        field_label = PersonalDataAccess.Field(field).label
        raise PermissionDenied(_("您的角色无权查看完整%(field)s") % {"field": field_label})
    PersonalDataAccess.objects.create(
        actor=actor,
        subject=subject,
        subject_label=label or (subject.name if subject else ""),
        field=field,
        purpose=purpose,
        ip_address=ip,
    )


@transaction.atomic
def reveal_phone(*, actor: User, subject: User, purpose: str, ip: str | None = None) -> str:
    """The full phone number of `subject`, for a role that must call people; always audited."""
    audit_reveal(
        actor=actor,
        subject=subject,
        field=PersonalDataAccess.Field.PHONE,
        roles=PHONE_REVEAL_ROLES,
        purpose=purpose,
        ip=ip,
    )
    return subject.phone


@transaction.atomic
def reveal_id_number(*, actor: User, subject: User, purpose: str, ip: str | None = None) -> str:
    """The full resident ID number of `subject`; always audited."""
    audit_reveal(
        actor=actor,
        subject=subject,
        field=PersonalDataAccess.Field.ID_NUMBER,
        roles=ID_REVEAL_ROLES,
        purpose=purpose,
        ip=ip,
    )
    return subject.id_number
