from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.core.errors import NotFound
from wangge.grids import selectors


@login_required
def grid_map(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The grid map; the page loads node data from /api/v1/grids/nodes/<code> as you drill down."""
    user = request.user
    if code is None:
        roots = selectors.home_nodes(user)  # type: ignore[arg-type]
        if not roots:
            return render(request, "grids/no_scope.html", status=403)
        return redirect(reverse("grid-map-node", args=[roots[0].code]))
    try:
        view = selectors.map_view(user, code)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "grids/map.html",
        {"view": view, "node": view.node, "staff": selectors.node_staff(view.node)},
    )
