from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import PermissionDenied
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import nodes_in_scope
from wangge.notices.forms import NoticeForm
from wangge.notices.selectors import notices_published
from wangge.notices.services import notice_publish


def _staff(request: AuthedRequest) -> User:
    if not request.user.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以发布公告"))
    return request.user


@login_required
def published(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    page = paginate(request, notices_published(user), 20)
    return render(request, "notices/published.html", {"page": page})


@login_required
def publish(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    levels = [level for level in GridLevel.values if level != GridLevel.MICRO]
    nodes = nodes_in_scope(user, levels)[:500]
    choices = [(n.code, f"{'　' * n.depth}{n.name}") for n in nodes]
    form = NoticeForm(request.POST or None, nodes=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        node = GridNode.objects.get(code=d["node"])
        with Refusal(form, fields=()):
            notice_publish(
                actor=user,
                node=node,
                title=d["title"],
                body=d["body"],
                kind=d["kind"],
                pinned=d["pinned"],
                expires_at=d["expires_at"],
            )
            messages.success(request, _("公告已发布到%(n)s") % {"n": node.name})
            return redirect("notices:published")
    return render(request, "notices/publish.html", {"form": form})
