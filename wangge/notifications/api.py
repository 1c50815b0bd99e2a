"""The caller's own account and inbox over JSON (the mini-program's 我的 and 消息).

GET  /api/v1/me                         → name, masked phone, 长辈版, verified
GET  /api/v1/me/messages?page=N         → the inbox, newest first
POST /api/v1/me/messages/{id}/read      → marks one read
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from wangge.core.errors import NotFound
from wangge.core.web import AuthedRequest
from wangge.notifications.models import Notification
from wangge.notifications.services import notification_mark_read

router = Router(tags=["我的"])


class Detail(Schema):
    detail: str


class AccountOut(Schema):
    name: str
    phone_masked: str
    elder_mode: bool = Field(..., description="长辈版（大字）")
    verified: bool = Field(..., description="已实名认证")
    unread: int


@router.get("", response=AccountOut, summary="我的账号")
def me(request: AuthedRequest) -> AccountOut:
    user = request.user
    return AccountOut(
        name=user.name,
        phone_masked=user.masked_phone,
        elder_mode=user.elderly_mode,
        verified=user.real_name_verified_at is not None,
        unread=Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    )


class InboxMessageOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


class MessagePage(Schema):
    count: int
    page: int
    results: list[InboxMessageOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=50)


@router.get("/messages", response=MessagePage, summary="我的消息")
def messages(request: AuthedRequest, query: Query[PageQuery]) -> MessagePage:
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    start = (query.page - 1) * query.page_size
    return MessagePage(
        count=rows.count(),
        page=query.page,
        results=[
            InboxMessageOut(
                id=n.pk,
                title=n.title,
                body=n.body,
                url=n.link,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in rows[start : start + query.page_size]
        ],
    )


class ReadOut(Schema):
    read: bool


@router.post(
    "/messages/{int:message_id}/read", response={200: ReadOut, 404: Detail}, summary="标为已读"
)
def read(request: AuthedRequest, message_id: int) -> ReadOut:
    if not Notification.objects.filter(pk=message_id, recipient=request.user).exists():
        raise NotFound(_("消息不存在"))
    notification_mark_read(user=request.user, ids=[message_id])
    return ReadOut(read=True)
