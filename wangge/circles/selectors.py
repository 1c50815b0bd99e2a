from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.circles.models import AbuseReport, Circle, Comment, Like, Post, PostPhoto, Visibility
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.moderation.models import NameHold
from wangge.moderation.selectors import name_held
from wangge.notices.selectors import home_node


def _prefixes(user: User) -> list[str]:
    home = home_node(user)
    return home.ancestor_paths() if home is not None else []


def feed(user: User, circle: str) -> QuerySet[Post]:
    """Posts of a circle that reach the user's home (their community or street), newest first.
    Held posts (审核中) are shown to their author only; hidden ones to their author only, in
    我的圈, with the reason."""
    qs = Post.objects.select_related("author").prefetch_related("photos")
    if circle == "mine":
        qs = qs.filter(author=user)
    else:
        if circle == Circle.BRANCH and not user.has_role(Role.PARTY_MEMBER):
            return Post.objects.none().order_by("-created_at", "-id")
        qs = qs.filter(circle=circle, grid_path__in=_prefixes(user)).filter(
            Q(visibility=Visibility.PUBLISHED) | Q(visibility=Visibility.HELD, author=user)
        )
    liked = Like.objects.filter(post=OuterRef("pk"), user=user)
    # An aggregate drops Meta.ordering; pages need a stable order.
    return qs.annotate(
        n_likes=Count("likes", distinct=True),
        # Comments neighbours see: one still 审核中 is not counted.
        n_comments=Count(
            "comments",
            filter=Q(comments__visibility=Visibility.PUBLISHED),
            distinct=True,
        ),
        liked=Exists(liked),
        # A name that has not passed content security is not shown to neighbours.
        author_name_held=name_held("author"),
    ).order_by("-created_at", "-id")


def comments_shown(user: User, post: Post) -> QuerySet[Comment]:
    """A post's comments as `user` sees them: the published ones, and their own still held or
    hidden (marked, with the reason)."""
    return (
        post.comments.filter(Q(visibility=Visibility.PUBLISHED) | Q(author=user))
        .select_related("author")
        .annotate(author_name_held=name_held("author"))
    )


def author_name_held(post: Post) -> bool:
    return NameHold.objects.filter(user_id=post.author_id).exists()


def access_post(user: User, post_id: int) -> Post:
    """A post the user may open, or NotFound (also when it exists but does not reach them)."""
    post = _reachable_post(user, post_id)
    if post is None:
        raise NotFound(_("帖子不存在或已隐藏"))
    return post


def _reachable_post(user: User, post_id: int) -> Post | None:
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if post is None:
        return None
    if post.author_id == user.pk:
        return post
    visible_here = post.visibility == Visibility.PUBLISHED and post.grid_path in _prefixes(user)
    if visible_here and (post.circle != Circle.BRANCH or user.has_role(Role.PARTY_MEMBER)):
        return post
    return None


def post_photo_visible(user: User, name: str) -> bool:
    """The protected media view's question for a post's photo: whoever the post reaches
    (`access_post`), and the staff moderating it in their subtree — they must see what they
    judge, held and hidden posts included."""
    photo = PostPhoto.objects.filter(Q(image=name) | Q(thumb=name)).only("post_id").first()
    if photo is None:
        return False
    if _reachable_post(user, photo.post_id) is not None:
        return True
    return (
        user.is_grid_staff
        and in_scope(user, Post.objects.filter(pk=photo.post_id), "grid_path").exists()
    )


def moderation_queue(user: User) -> QuerySet[Post]:
    """For grid staff: held posts, and reported ones, in their subtree."""
    # Exists, not a join: a join's NULL row would make every unreported post look "unhandled".
    open_report = AbuseReport.objects.filter(post=OuterRef("pk"), handled_at__isnull=True)
    qs = Post.objects.filter(
        Q(visibility=Visibility.HELD) | (Q(visibility=Visibility.PUBLISHED) & Exists(open_report))
    )
    return (
        in_scope(user, qs, "grid_path")
        .select_related("author")
        .prefetch_related("photos")
        .order_by("created_at")
    )


def hidden_posts(user: User) -> QuerySet[Post]:
    return (
        in_scope(user, Post.objects.filter(visibility=Visibility.HIDDEN), "grid_path")
        .select_related("author")
        .prefetch_related("photos")
    )
