"""Every write about people and their roles."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_id_number, normalize_phone
from wangge.accounts.models import (
    ID_REVEAL_ROLES,
    PHONE_REVEAL_ROLES,
    VIDEO_VIEW_ROLES,
    ApiToken,
    PersonalDataAccess,
    Role,
    RoleGrant,
    User,
)
from wangge.accounts.selectors import may_reveal
from wangge.accounts.signals import real_name_verified
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
    password_hash: str | None = None,
) -> User:
    """`password_hash`, instead of `password`: one already hashed (the demo's accounts share one
    documented password, hashed once rather than at argon2's cost for each of a hundred)."""
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise ValidationFailed(_("该手机号已注册"))
    user = User(phone=phone, name=name.strip(), is_demo=is_demo, is_staff=is_staff)
    if password_hash is not None:
        user.password = password_hash
    else:
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
    real_name_verified.send(sender=User, user=user)
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


# A bearer client (the hotline, the app) sends its token with every request; the person it
# names, with their grants, is kept in the cache for this long, so a burst of 200 grabs costs
# no token or grant query each. Revoking a token, saving its user and granting or revoking one
# of their roles drop the entry at once (every node, with Redis as the cache); a separate
# process's local-memory cache may serve it up to this long, and so may a grid node moved in
# the tree (its path in the cached grants).
TOKEN_CACHE_SECONDS = 30


def _token_cache_key(key_hash: str) -> str:
    return f"api-token:{key_hash}"


# Never in the cache (Redis in production): the password hash and the ID number. A person
# rebuilt from the cache has them deferred, so reading one asks the database and a save()
# writes only the fields that were loaded — it cannot blank them.
_TOKEN_CACHE_SECRET = frozenset({"password", "id_number_encrypted", "id_number_hash"})


_CachedToken = tuple[int, tuple[str, ...], tuple[object, ...], tuple[tuple[str, str], ...]]


def _cacheable(token_id: int, user: User, grants: list[tuple[str, str]]) -> _CachedToken:
    fields = [f.attname for f in User._meta.concrete_fields if f.attname not in _TOKEN_CACHE_SECRET]
    # A file field's value is its stored name: the FieldFile object would carry the whole
    # person (password hash included) into the cache with it.
    values = tuple(
        v.name if isinstance(v, FieldFile) else v for v in (getattr(user, f) for f in fields)
    )
    return token_id, tuple(fields), values, tuple(grants)


def _from_cache(entry: object) -> tuple[int, User] | None:
    # Anything else (an entry written by an older release, say) is a miss, not an error.
    if not (isinstance(entry, tuple) and len(entry) == 4 and isinstance(entry[0], int)):
        return None
    token_id, names, values, grants = entry
    user = User.from_db("default", list(names), list(values))
    # The grants come with the person: a bearer client's request reads no RoleGrant row.
    user.grants_known(grants)
    return token_id, user


def _forget(keys: list[str]) -> None:
    """Drop cache entries now and again when the transaction commits: a request that read the
    old row in between (the change not yet committed) may have cached it once more."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _forget([_token_cache_key(token.key_hash)])


def api_token_forget_user(user: User) -> None:
    """Drop the cached person behind each of their tokens (their account changed)."""
    hashes = ApiToken.objects.filter(user=user).values_list("key_hash", flat=True)
    _forget([_token_cache_key(h) for h in hashes])


def api_token_identify(key: str) -> tuple[int, User] | None:
    """The token row's id and its person for a bearer key, or None (unknown, revoked, inactive).

    The id is what per-client limits count by (core.ratelimit): stable for the token's life,
    and never the key itself, which must not reach the cache or a log.
    """
    if not key.startswith("wg_"):
        return None
    key_hash = ApiToken.hash_key(key)
    found = _from_cache(cache.get(_token_cache_key(key_hash)))
    if found is None:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=key_hash, revoked_at__isnull=True)
            .first()
        )
        if token is None:
            return None
        found = token.pk, token.user
        grants = token.user.grant_rows()
        token.user.grants_known(grants)
        now = timezone.now()
        # Write at most once a minute per token: a hotline posting 200 orders/s must not turn
        # every request into an UPDATE on the same row.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        cache.set(_token_cache_key(key_hash), _cacheable(*found, grants), TOKEN_CACHE_SECONDS)
    token_id, user = found
    if not user.is_active or (user.is_demo and not settings.DEMO_MODE):
        return None
    return token_id, user


def api_token_authenticate(key: str) -> User | None:
    found = api_token_identify(key)
    return found[1] if found else None


def reveal_roles() -> dict[str, frozenset[str]]:
    """The roles that may see each kind of personal data in full."""
    return {
        PersonalDataAccess.Field.PHONE: PHONE_REVEAL_ROLES,
        PersonalDataAccess.Field.ID_NUMBER: ID_REVEAL_ROLES,
        PersonalDataAccess.Field.VIDEO: VIDEO_VIEW_ROLES,
    }


def audit_reveal(
    *,
    actor: User,
    subject: User | None,
    field: str,
    purpose: str,
    ip: str | None,
    label: str = "",
) -> None:
    """Check the actor's role for this field and write the audit row (caller's transaction): for
    what is not one value (an export with full numbers); one value goes through
    `personal_data_reveal`."""
    if not may_reveal(actor, reveal_roles()[field]):
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
def personal_data_reveal(
    *,
    actor: User,
    field: str,
    value: str,
    purpose: str,
    ip: str | None,
    subject: User | None = None,
    label: str = "",
) -> str:
    """The one way to a clear ID number or phone: the actor's role is checked for the field
    (`reveal_roles`), a `PersonalDataAccess` row names who saw whose, why and from where, and
    the value is given back. Whether the record is the actor's to open (the grid scope) is the
    caller's check, made before. `label` names a subject without an account (a register entry,
    an enterprise's contact, a 12345 caller)."""
    audit_reveal(actor=actor, subject=subject, field=field, purpose=purpose, ip=ip, label=label)
    return value


def reveal_phone(*, actor: User, subject: User, purpose: str, ip: str | None = None) -> str:
    """The full phone number of `subject`, for a role that must call people; always audited."""
    return personal_data_reveal(
        actor=actor,
        field=PersonalDataAccess.Field.PHONE,
        value=subject.phone,
        subject=subject,
        purpose=purpose,
        ip=ip,
    )


def reveal_id_number(*, actor: User, subject: User, purpose: str, ip: str | None = None) -> str:
    """The full resident ID number of `subject`; always audited."""
    return personal_data_reveal(
        actor=actor,
        field=PersonalDataAccess.Field.ID_NUMBER,
        value=subject.id_number,
        subject=subject,
        purpose=purpose,
        ip=ip,
    )


def user_elderly_mode_set(*, user: User, on: bool) -> User:
    """长辈版 on or off for this account (all its phones)."""
    if user.elderly_mode != on:
        user.elderly_mode = on
        user.save(update_fields=["elderly_mode"])
    return user


def user_guide_seen(*, user: User) -> User:
    """The first-use guide was read or skipped: the home page stops opening it."""
    if user.guide_seen_at is None:
        user.guide_seen_at = timezone.now()
        user.save(update_fields=["guide_seen_at"])
    return user
