import hashlib
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wangge.accounts.identity import normalize_phone
from wangge.core import pii
from wangge.core.masking import mask_id_number, mask_name, mask_name_recognisable, mask_phone
from wangge.core.scope import minimal_paths
from wangge.grids.models import GridNode


class Role(models.TextChoices):
    RESIDENT = "resident", _("居民")
    PARTY_MEMBER = "party_member", _("党员")
    MICRO_GRID_LEADER = "micro_grid_leader", _("微网格长")
    GRID_WORKER = "grid_worker", _("网格员")
    GRID_LEADER = "grid_leader", _("网格长")
    COMMUNITY_STAFF = "community_staff", _("社区工作者")
    STREET_DISPATCHER = "street_dispatcher", _("街道城运中心派单员")
    DEPARTMENT_HANDLER = "department_handler", _("职能部门承办人")
    EXCLUSIVE_GRID_LEADER = "exclusive_grid_leader", _("专属网格长")
    ENTERPRISE = "enterprise", _("企业用户")
    MERCHANT = "merchant", _("联盟商户")
    ORG_ADMIN = "org_admin", _("组织管理员")
    ADMIN = "admin", _("系统管理员")
    # Reads the personal-data access audit and the change log of its subtree, nothing else:
    # not a staff role, so it opens no resident or case (separation of duties).
    AUDITOR = "auditor", _("审计员")


# Roles that act for the grid: a grant on a node gives them that node's subtree. The others
# (residents, enterprises, merchants, party members, departments) act for themselves, so a
# grant only says where they belong and opens no one else's data.
STAFF_ROLES: frozenset[str] = frozenset(
    {
        Role.MICRO_GRID_LEADER,
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.COMMUNITY_STAFF,
        Role.STREET_DISPATCHER,
        Role.EXCLUSIVE_GRID_LEADER,
        Role.ORG_ADMIN,
        Role.ADMIN,
    }
)
# The roles that work in courtyards and stairwells rather than at a desk: their staff pages are
# laid out for a phone (bottom tabs 待办, 巡查, 走访, 台账, 我的).
FIELD_ROLES: frozenset[str] = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.MICRO_GRID_LEADER,
        Role.COMMUNITY_STAFF,
        Role.EXCLUSIVE_GRID_LEADER,
    }
)
# Department handlers (城管, 住建…) are deliberately not here: they see the cases a street
# whistles to them, not the residents and cases of a piece of the map.
# Roles whose work needs a full phone number (calling a reporter back); even they see it masked
# until they ask, and each reveal is audited.
PHONE_REVEAL_ROLES: frozenset[str] = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.COMMUNITY_STAFF,
        Role.STREET_DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.EXCLUSIVE_GRID_LEADER,
    }
)
ID_REVEAL_ROLES: frozenset[str] = frozenset({Role.COMMUNITY_STAFF, Role.ADMIN})
# Who may watch a camera's live picture (鹰眼), on the cameras of their grid: the staff who act
# on what it shows, not a 微网格长 (often a volunteer or a property company's staff).
VIDEO_VIEW_ROLES: frozenset[str] = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_LEADER,
        Role.COMMUNITY_STAFF,
        Role.STREET_DISPATCHER,
        Role.EXCLUSIVE_GRID_LEADER,
        Role.ADMIN,
    }
)
# Roles whose work happens at a desk with the staff pages (a department's queue, the audit
# search); everyone else without a staff role uses the residents' app 原点在线 at /m/.
DESK_ROLES: frozenset[str] = frozenset({Role.DEPARTMENT_HANDLER, Role.AUDITOR})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra: object) -> "User":
        user = self.model(phone=normalize_phone(phone), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with a mainland mobile number."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # The ID number itself is only ever stored encrypted; the hash finds a person by it.
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(
        _("身份证号摘要"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    real_name_verified_at = models.DateTimeField(_("实名认证时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    is_demo = models.BooleanField(
        _("演示账号"), default=False, help_text=_("仅在演示模式下可以登录")
    )
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    # Privacy (我的 → 隐私设置): what neighbours see. Staff handling a case always see the
    # real name; these govern circles, the 身边事 board and the honour lists.
    class NameDisplay(models.TextChoices):
        FULL = "full", _("显示全名")
        MASKED = "masked", _("隐去部分姓名")
        HIDDEN = "hidden", _("不显示")

    circle_name_display = models.CharField(
        _("在圈子里"),
        max_length=8,
        choices=[c for c in NameDisplay.choices if c[0] != "hidden"],
        default=NameDisplay.MASKED,
    )
    board_name_display = models.CharField(
        _("在荣誉榜单上"), max_length=8, choices=NameDisplay.choices, default=NameDisplay.MASKED
    )
    report_public_default = models.BooleanField(_("随手拍默认公开到身边事"), default=False)
    # 长辈版 (工信部 适老化 norms): larger text and controls, fewer items per screen, no animation.
    # Kept on the account, not the phone, so it follows an older resident to a new phone or to
    # the family member who signs in for them.
    elderly_mode = models.BooleanField(_("长辈版"), default=False)
    guide_seen_at = models.DateTimeField(_("看过使用指南"), null=True, blank=True)
    # A grid worker's or micro-grid leader's portrait, shown to the residents they serve (我的网格)
    # so the person at the door is the one on the phone.
    photo = models.ImageField(_("工作照"), upload_to="staff/%Y/", blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.name or _('未命名')}（{self.masked_phone}）"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    def public_name(self, where: str) -> str:
        """The name neighbours see in `where` ("circles" or "boards"); "" when hidden.

        Honour lists keep the last character (王*兰) so neighbours recognise each other;
        circles keep the surname only (王**).
        """
        choice = self.circle_name_display if where == "circles" else self.board_name_display
        if choice == self.NameDisplay.FULL:
            return self.name
        if choice == self.NameDisplay.HIDDEN:
            return ""
        return mask_name_recognisable(self.name) if where == "boards" else mask_name(self.name)

    @property
    def circle_name(self) -> str:
        return self.public_name("circles")

    @property
    def board_name(self) -> str:
        return self.public_name("boards")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number_encrypted else ""

    @property
    def id_number(self) -> str:
        """The clear value. Call only through accounts.services.reveal_*, which audits it."""
        return pii.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    def role_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.grants.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))

    def scope_paths(self) -> tuple[str, ...] | None:
        """Grid paths this person may see as staff; None = all (superusers only). An
        administrator sees the subtree they hold like any other staff role: with several
        districts in one instance, a district's administrator sees nothing of another's."""
        if "_scope_paths" in self.__dict__:
            cached: tuple[str, ...] | None = self.__dict__["_scope_paths"]
            return cached
        if self.is_superuser:
            self.__dict__["_scope_paths"] = None
            return None
        # Every grant in one read: the staff ones give the paths, and all of them the role
        # codes, which a scoped read asks next (cases_visible: is this a 承办人 too?).
        self.grants_known(self.grant_rows())
        result: tuple[str, ...] | None = self.__dict__["_scope_paths"]
        return result

    def grant_rows(self) -> list[tuple[str, str]]:
        """Every grant as (role, node path): what the role and scope checks are made from."""
        return list(self.grants.values_list("role", "node__path"))

    def grants_known(self, rows: Iterable[tuple[str, str]]) -> None:
        """Take the grants as already read (`grant_rows`, or the API token cache's copy of
        them): the role and scope checks of this request then read none."""
        rows = list(rows)
        self._role_codes = frozenset(role for role, _path in rows)
        paths = None if self.is_superuser else minimal_paths(p for r, p in rows if r in STAFF_ROLES)
        self.__dict__["_scope_paths"] = paths

    @property
    def is_grid_staff(self) -> bool:
        return self.is_superuser or bool(self.role_codes() & STAFF_ROLES)

    @property
    def uses_resident_app(self) -> bool:
        """Residents, party members, enterprises and merchants: every page they reach is drawn
        in the 原点在线 frame and signing in lands on /m/."""
        if self.is_superuser or self.is_staff:
            return False
        return not (self.role_codes() & (STAFF_ROLES | DESK_ROLES))


class RoleGrant(models.Model):
    """A role held on a node of the grid tree; one person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    node = models.ForeignKey(
        GridNode, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("授予人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    # A withdrawn grant is deleted; its history row ("-") keeps who held what, and who withdrew it.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="grant_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="grant_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node.name}"


class ApiToken(models.Model):
    """A bearer token for machine clients (the 12345 hotline, apps). Only its hash is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(
        _("前缀"), max_length=12, unique=True, help_text=_("用于在列表中辨认令牌")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最后使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_key(key: str) -> str:
        # The key carries 256 random bits, so a fast unsalted hash is enough to make a stolen
        # table useless, and lets every request find its token by an indexed lookup.
        return hashlib.sha256(key.encode()).hexdigest()


class PersonalDataAccess(models.Model):
    """One unmasked display or export of someone's personal data: who saw what, and why."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("身份证号")
        PHONE = "phone", _("手机号")
        ADDRESS = "address", _("住址")
        # Not a field of a person: a camera's live picture, which shows people (鹰眼).
        VIDEO = "video", _("实时监控")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被查看人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_label = models.CharField(_("对象"), max_length=200, help_text=_("非用户对象时的描述"))
    field = models.CharField(_("字段"), max_length=20, choices=Field.choices)
    purpose = models.CharField(_("用途"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.actor} → {self.subject_label} · {self.get_field_display()}"


class SmsCode(models.Model):
    """A one-time login code sent by text. Only its keyed hash is stored; it expires and allows
    a few attempts, so neither a database dump nor guessing yields a login. The phone is kept
    as its keyed hash only: the code is checked against the number typed, never shown."""

    phone_hash = models.CharField(_("手机号摘要"), max_length=64, db_index=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


class ResidenceClaim(models.Model):
    """A resident says where they live; the grid worker of that building confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未通过")

    user = models.ForeignKey(
        User, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="residence_claims"
    )
    building = models.ForeignKey(
        "grids.Building", verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="+"
    )
    room = models.CharField(_("单元房号"), max_length=30)
    # The building's micro-grid path, copied: the grid scope filter is one indexed prefix.
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("住址绑定")
        verbose_name_plural = _("住址绑定")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.building_id} {self.room}"
