from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.circles import selectors, services
from wangge.circles.forms import FeedForm, ModerationForm, PostActionForm, PostForm
from wangge.circles.models import Circle
from wangge.core.errors import PermissionDenied
from wangge.core.images import clean_images
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal

TABS = [
    (Circle.RESIDENTS.value, Circle.RESIDENTS.label),
    (Circle.BRANCH.value, Circle.BRANCH.label),
    (Circle.VOLUNTEERS.value, Circle.VOLUNTEERS.label),
    ("mine", _("我的圈")),
]


@login_required
def feed(request: AuthedRequest) -> HttpResponse:
    user = request.user
    asked = FeedForm(request.GET, choices=TABS, default=Circle.RESIDENTS)
    circle = asked.value("c")
    ctx: dict[str, Any] = {
        "tab": "circles",
        "tabs": TABS,
        "circle": circle,
        "text": "",
        "list_error": asked.error,
    }
    if request.method == "POST":
        with Refusal() as refusal:
            d = cleaned(PostForm(request.POST))
            ctx["text"] = d["text"]
            post = services.post_create(
                author=user,
                circle=d["circle"] or circle,
                text=d["text"],
                photos=clean_images(request.FILES.getlist("photos")),
            )
            if post.is_hidden:
                messages.error(request, post.moderation_note or _("内容未通过审核"))
            elif post.is_held:
                messages.info(request, _("内容审核中，通过后邻居们才能看到"))
            else:
                messages.success(request, _("已发布"))
            return redirect(f"/circles/?c={post.circle}")
        ctx["text"] = cleaned(PostForm(request.POST))["text"]
        ctx["errors"] = refusal.by_field("text")
    ctx["page"] = paginate(request, selectors.feed(user, circle), 20)
    return render(request, "circles/feed.html", ctx, status=asked.status_code)


@login_required
def detail(request: AuthedRequest, post_id: int) -> HttpResponse:
    user = request.user
    post = selectors.access_post(user, post_id)
    if request.method == "POST":
        with flash_refusal(request):
            d = cleaned(PostActionForm(request.POST))
            if d["action"] == "comment":
                comment = services.comment_create(post=post, author=user, text=d["text"])
                if comment.is_held:
                    messages.info(request, _("评论审核中，通过后邻居们才能看到"))
            elif d["action"] == "like":
                services.like_toggle(post=post, user=user)
            else:
                services.report_abuse(post=post, reporter=user, reason=d["reason"])
                messages.success(request, _("已收到举报，网格员会尽快处理"))
        return redirect("circles:detail", post_id=post.pk)
    comments = selectors.comments_shown(user, post)
    return render(
        request,
        "circles/detail.html",
        {
            "tab": "circles",
            "post": post,
            "comments": paginate(request, comments, 30),
            "author_name_held": selectors.author_name_held(post),
            "likes": post.likes.count(),
            "liked": post.likes.filter(user=user).exists(),
        },
    )


@login_required
def moderation(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以审核"))
    return render(
        request,
        "circles/moderation.html",
        {
            "queue": paginate(request, selectors.moderation_queue(user), 20),
            "hidden": paginate(request, selectors.hidden_posts(user), 20, param="hidden_page"),
        },
    )


@login_required
@require_POST
def moderate(request: AuthedRequest, post_id: int) -> HttpResponse:
    with flash_refusal(request):
        d = cleaned(ModerationForm(request.POST))
        services.post_moderate(
            actor=request.user, post_id=post_id, visibility=d["visibility"], note=d["note"]
        )
        messages.success(request, _("已处理"))
    return redirect("circles:moderation")
