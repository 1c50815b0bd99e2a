"""Every write in the circles: posting under the sensitive-word rules, comments, likes, reports,
and moderation that hides or restores without ever changing what was written. A post or comment
is held (审核中) until content security (wangge.moderation) has passed its text and photos."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.circles.models import (
    AbuseReport,
    Circle,
    Comment,
    Like,
    Post,
    PostPhoto,
    SensitiveWord,
    Visibility,
)
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridLevel
from wangge.grids.selectors import ancestor
from wangge.moderation import selectors as moderation_selectors
from wangge.moderation import services as moderation
from wangge.moderation.models import Kind, Scene
from wangge.notices.selectors import home_node
from wangge.notifications.services import notify


def screen(text: str) -> tuple[list[str], list[str]]:
    """(blocked words, held words) found in the text."""
    blocked: list[str] = []
    held: list[str] = []
    for word, action in SensitiveWord.objects.values_list("word", "action"):
        if word and word in text:
            (blocked if action == SensitiveWord.Action.BLOCK else held).append(word)
    return blocked, held


def circle_path(user: User, circle: str) -> str:
    """Where the user's posts in `circle` are shown; PermissionDenied if they may not post."""
    home = home_node(user)
    if home is None:
        raise PermissionDenied(_("绑定住址后才能在圈子里发言"))
    if circle == Circle.BRANCH and not user.has_role(Role.PARTY_MEMBER):
        raise PermissionDenied(_("支部圈仅限党员发言"))
    # By level, not by depth: a city above the district moves every level one step down.
    level = GridLevel.STREET if circle == Circle.VOLUNTEERS else GridLevel.COMMUNITY
    unit = ancestor(home, level)
    if unit is None:
        raise PermissionDenied(_("住址信息不完整"))
    return unit.path


@transaction.atomic
def post_create(*, author: User, circle: str, text: str, photos: Sequence[CleanImage] = ()) -> Post:
    if circle not in Circle.values:
        raise ValidationFailed(_("未知圈子"))
    text = text.strip()
    if not text:
        raise ValidationFailed(_("请写点什么"), field="text")
    blocked, held = screen(text)
    if blocked:
        raise ValidationFailed(
            _("内容含有禁止发布的词：%(w)s") % {"w": "、".join(blocked)}, field="text"
        )
    post = Post.objects.create(
        author=author,
        circle=circle,
        grid_path=circle_path(author, circle),
        text=text[:2000],
        held_words=held,
        visibility=Visibility.HELD,
    )
    rows = []
    for p in photos:
        row = PostPhoto(post=post)
        store_image(row, p)
        rows.append(moderation.Photo("circles.PostPhoto", row.pk))
    moderation.content_submit(
        kind=Kind.POST,
        object_id=post.pk,
        author=author,
        grid_path=post.grid_path,
        scene=Scene.SOCIAL_LOG,
        text=post.text,
        photos=rows,
    )
    post.refresh_from_db(fields=["visibility", "moderation_note"])
    return post


def post_publish(post_id: int) -> None:
    """Content security passed the post: neighbours see it."""
    Post.objects.filter(pk=post_id, visibility=Visibility.HELD).update(
        visibility=Visibility.PUBLISHED
    )


def post_hide(post_id: int, reason: str) -> None:
    Post.objects.filter(pk=post_id, visibility=Visibility.HELD).update(
        visibility=Visibility.HIDDEN, moderation_note=reason[:200]
    )


@transaction.atomic
def comment_create(*, post: Post, author: User, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationFailed(_("请写点什么"))
    blocked, _held = screen(text)
    if blocked:
        raise ValidationFailed(_("内容含有禁止发布的词：%(w)s") % {"w": "、".join(blocked)})
    comment = Comment.objects.create(
        post=post, author=author, text=text[:500], visibility=Visibility.HELD
    )
    moderation.content_submit(
        kind=Kind.COMMENT,
        object_id=comment.pk,
        author=author,
        grid_path=post.grid_path,
        scene=Scene.COMMENT,
        text=comment.text,
    )
    comment.refresh_from_db(fields=["visibility", "moderation_note"])
    return comment


def comment_publish(comment_id: int) -> None:
    """Content security passed the comment: it is shown, and the post's author told."""
    if not Comment.objects.filter(pk=comment_id, visibility=Visibility.HELD).update(
        visibility=Visibility.PUBLISHED
    ):
        return
    comment = Comment.objects.select_related("post__author", "author").get(pk=comment_id)
    post, author = comment.post, comment.author
    if post.author_id != author.pk:
        shown = "" if moderation_selectors.name_hold_of(author) else author.circle_name
        notify(
            recipients=[post.author],
            title=_("%(n)s 评论了您的动态") % {"n": shown or _("邻居")},
            body=comment.text[:60],
            link=f"/circles/{post.pk}/",
            topic=f"post:{post.pk}",
        )


def comment_hide(comment_id: int, reason: str) -> None:
    Comment.objects.filter(pk=comment_id, visibility=Visibility.HELD).update(
        visibility=Visibility.HIDDEN, moderation_note=reason[:200]
    )


def like_toggle(*, post: Post, user: User) -> bool:
    """Like or unlike; returns whether the user now likes it. Double taps cannot double count."""
    deleted, _rows = Like.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Like.objects.create(post=post, user=user)
    except IntegrityError:
        pass
    return True


def report_abuse(*, post: Post, reporter: User, reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed(_("请填写举报原因"))
    try:
        with transaction.atomic():
            AbuseReport.objects.create(post=post, reporter=reporter, reason=reason.strip()[:200])
    except IntegrityError as exc:
        raise Conflict(_("您已举报过该动态")) from exc


@transaction.atomic
def post_moderate(*, actor: User, post_id: int, visibility: str, note: str = "") -> Post:
    """Grid staff over the post's place publish a held post, hide one, or restore it."""
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None or not actor.is_grid_staff or not path_in_scope(actor, post.grid_path):
        raise PermissionDenied(_("无权处理该动态"))
    if visibility not in Visibility.values:
        raise ValidationFailed(_("未知状态"))
    if visibility == Visibility.HIDDEN and not note.strip():
        raise ValidationFailed(_("请填写隐藏原因"))
    post.visibility, post.moderated_by, post.moderation_note = visibility, actor, note.strip()[:200]
    post.save(update_fields=["visibility", "moderated_by", "moderation_note"])
    # A person decided: the post's checks still open are closed with it, so a verdict that comes
    # later does not undo the decision.
    if visibility != Visibility.HELD:
        moderation.content_decided(
            kind=Kind.POST,
            object_id=post.pk,
            actor=actor,
            passed=visibility == Visibility.PUBLISHED,
            note=post.moderation_note,
        )
    post.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now())
    return post
