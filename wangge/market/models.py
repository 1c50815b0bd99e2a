from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RESERVATION_HOLD = timedelta(hours=48)


class Listing(models.Model):
    """An item offered (free or priced) or wanted. Settlement is between neighbours: the app
    shows a price and never handles money."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("闲置转让")
        WANTED = "wanted", _("求购求赠")

    class Category(models.TextChoices):
        FURNITURE = "furniture", _("家具")
        APPLIANCE = "appliance", _("家电")
        BABY = "baby", _("母婴")
        BOOKS = "books", _("图书")
        CLOTHES = "clothes", _("衣物")
        DAILY = "daily", _("日用")
        OTHER = "other", _("其他")

    class Condition(models.TextChoices):
        NEW = "new", _("全新")
        LIKE_NEW = "like_new", _("九成新")
        GOOD = "good", _("八成新")
        USABLE = "usable", _("能用")

    class Status(models.TextChoices):
        OPEN = "open", _("可预约")
        RESERVED = "reserved", _("已预约")
        HANDED_OVER = "handed_over", _("已交接")
        CLOSED = "closed", _("已下架")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.CASCADE,
        related_name="listings",
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.OFFER)
    title = models.CharField(_("标题"), max_length=60)
    description = models.TextField(_("描述"), max_length=2000, blank=True)
    category = models.CharField(
        _("分类"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    condition = models.CharField(_("成色"), max_length=10, choices=Condition.choices, blank=True)
    price = models.DecimalField(
        _("价格（元）"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    pickup_area = models.CharField(_("取货地点"), max_length=100, blank=True)
    # The owner's home grid, copied at posting: browsing by grid is a prefix match.
    grid_path = models.CharField(max_length=400, db_index=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )

    class Review(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        PENDING = "pending", _("审核中")
        HIDDEN = "hidden", _("未通过审核")

    # Content security (wangge.moderation): neighbours see a listing once its words and photos
    # have passed; until then, or when hidden, only its owner does (with the reason).
    review = models.CharField(
        _("审核"), max_length=10, choices=Review.choices, default=Review.PUBLISHED, db_index=True
    )
    review_note = models.CharField(_("未通过原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True, db_index=True)

    objects: ClassVar[models.Manager["Listing"]]

    class Meta:
        verbose_name = _("闲置物品")
        verbose_name_plural = _("闲置物品")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="listing_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_under_review(self) -> bool:
        return self.review == self.Review.PENDING

    @property
    def is_hidden(self) -> bool:
        return self.review == self.Review.HIDDEN

    @property
    def is_open(self) -> bool:
        """Nobody holds it yet."""
        return self.status == self.Status.OPEN

    @property
    def is_reserved(self) -> bool:
        return self.status == self.Status.RESERVED

    @property
    def can_reserve(self) -> bool:
        """A neighbour may ask for it (the first holds it, the others queue): an offer still
        open or held; the service refuses the rest."""
        return (
            self.kind == self.Kind.OFFER
            and self.review == self.Review.PUBLISHED
            and self.status in (self.Status.OPEN, self.Status.RESERVED)
        )


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    # Indexed: the protected media view finds the photo by the name it was asked for.
    image = models.ImageField(upload_to="market/%Y/%m/", db_index=True)
    thumb = models.ImageField(upload_to="market/%Y/%m/", blank=True, db_index=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.listing_id}"


class Reservation(models.Model):
    """A neighbour's request for an item. One is active at a time and holds the item for 48
    hours; the others wait in line, first come first served."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        ACTIVE = "active", _("预约中")
        COMPLETED = "completed", _("已交接")
        EXPIRED = "expired", _("已过期")
        CANCELLED = "cancelled", _("已取消")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reservations")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reservations"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    active_until = models.DateTimeField(null=True, blank=True, db_index=True)
    owner_confirmed_at = models.DateTimeField(null=True, blank=True)
    requester_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=models.Q(status="active"),
                name="one_active_reservation",
            ),
            models.UniqueConstraint(
                fields=["listing", "requester"],
                condition=models.Q(status__in=["queued", "active"]),
                name="one_open_request_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.requester_id} {self.status}"

    @property
    def is_active(self) -> bool:
        """It holds the item: the two sides arrange the handover."""
        return self.status == self.Status.ACTIVE

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED


class Rating(models.Model):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rated = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_ratings"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reservation", "rater"], name="rate_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rated_id} {self.stars}"


class ProhibitedItem(models.Model):
    """Things that may not be offered (管制刀具, 处方药, 烟花爆竹 …), editable by administrators."""

    word = models.CharField(_("违禁词"), max_length=30, unique=True)
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("违禁物品")
        verbose_name_plural = _("违禁物品")

    def __str__(self) -> str:
        return self.word
