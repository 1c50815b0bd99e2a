from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.core.web import AuthedRequest
from wangge.grids import selectors


@login_required
def grid_map(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    """The grid map; the page loads node data from /api/v1/grids/nodes/<code> as you drill down."""
    user = request.user
    if code is None:
        roots = selectors.home_nodes(user)
        if not roots:
            return render(request, "grids/no_scope.html", status=403)
        return redirect(reverse("grid-map-node", args=[roots[0].code]))
    view = selectors.map_view(user, code)  # NotFound: the 404 page
    return render(
        request,
        "grids/map.html",
        {"view": view, "node": view.node, "staff": selectors.node_staff(view.node)},
    )
