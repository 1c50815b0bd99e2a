"""Every write about the documents and consent: publishing a version, agreeing, withdrawing."""

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import ResidenceClaim, User
from wangge.consent.models import Consent, LegalDocument
from wangge.consent.selectors import InForce, in_force
from wangge.core.errors import Conflict, ValidationFailed


@transaction.atomic
def document_publish(
    *, kind: str, title: str, body: str, changes: str = "", by: User | None = None
) -> LegalDocument:
    """A new version of 用户协议 or 隐私政策, in force from now: everyone whose consent names an
    older version is asked again at their next visit."""
    if kind not in LegalDocument.Kind.values:
        raise ValidationFailed(_("未知的文件类别"))
    if not title.strip():
        raise ValidationFailed(_("请填写标题"), field="title")
    if not body.strip():
        raise ValidationFailed(_("请填写正文"), field="body")
    latest = LegalDocument.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            return LegalDocument.objects.create(
                kind=kind,
                version=latest + 1,
                title=title.strip(),
                body=body.strip(),
                changes=changes.strip(),
                published_at=timezone.now(),
                published_by=by,
            )
    except IntegrityError as exc:
        # Two operators publishing the same kind at once: the version constraint decides.
        raise Conflict(_("另一位管理员刚刚发布了新版本，请刷新后再试")) from exc


def agreement_check(
    *, agreed: bool, terms_version: int | None = None, privacy_version: int | None = None
) -> None:
    """Before a page takes any personal data: the box was ticked, for the versions in force."""
    if not agreed:
        raise ValidationFailed(_("请先阅读并勾选同意《用户协议》和《隐私政策》"), field="agree")
    try:
        _check_shown(terms_version, privacy_version)
    except Conflict as exc:
        # The page showed a version since replaced: the box is asked again, next to the new one.
        raise ValidationFailed(exc.message, field="agree") from exc


def _check_shown(terms_version: int | None, privacy_version: int | None) -> InForce:
    documents = in_force()
    if documents is None:
        raise ValidationFailed(_("用户协议或隐私政策尚未发布，请稍后再试"))
    shown = (terms_version, privacy_version)
    if shown != (None, None) and shown != (documents.terms.version, documents.privacy.version):
        raise Conflict(_("用户协议或隐私政策刚刚更新，请阅读新版本后再同意"))
    return documents


@transaction.atomic
def consent_record(
    *,
    user: User,
    channel: str,
    occasion: str,
    terms_version: int | None = None,
    privacy_version: int | None = None,
) -> Consent:
    """The person agrees to the documents in force. The versions they were shown, when given,
    must be those: a page opened before a new version was published cannot agree to it."""
    documents = _check_shown(terms_version, privacy_version)
    return Consent.objects.create(
        user=user,
        terms=documents.terms,
        privacy=documents.privacy,
        channel=channel,
        occasion=occasion,
    )


def _placeholder_phone(user: User) -> str:
    """What the login column holds once the number is removed: unique (the account's id) and
    never a mainland mobile number (those start with 1), so the number itself is free to
    register again and nothing can sign in as it."""
    return f"0{user.pk:010d}"


@transaction.atomic
def consent_withdraw(*, user: User) -> None:
    """Withdrawal ends the account (个人信息保护法 第十五条、第四十七条): it is deactivated as an
    administrator's deactivation does — WeChat and 企业微信 bindings let go, mini-program and
    API tokens dropped (the accounts and wechat receivers of the save) — and the personal data
    it was given on consent is removed: name, ID number, phone, the address claims. The consent
    rows stay, marked withdrawn, as the proof of what was agreed and when it ended."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("该账号已注销"))
    now = timezone.now()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    ResidenceClaim.objects.filter(user=user).delete()
    if user.photo:
        user.photo.delete(save=False)
    user.name = ""
    user.phone = _placeholder_phone(user)
    user.id_number_encrypted = ""
    user.id_number_hash = None
    user.real_name_verified_at = None
    user.is_active = False
    user.set_unusable_password()
    # The change log would otherwise keep the name and number being removed, in its diff.
    with disable_auditlog():
        user.save()
