"""The list of grid-path columns that follow a moved node is the list the models have, and the
admin cannot move a node around them."""

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.conftest import COMMUNITY, DISTRICT, GRID_A, STREET
from wangge.grids.models import GridNode
from wangge.grids.paths import GRID_PATH_COLUMNS


def test_every_path_column_of_the_models_is_listed() -> None:
    # A grid path is kept in columns named "…_path"; the grid table's own `path` and the party
    # tree's `path` (ids of organisations, not grids) are the two named plain `path`. History
    # rows (django-simple-history's Historical… models) keep the path their data had when it
    # was written, so a move leaves them where they were.
    found = {
        (model._meta.label, f.name)
        for model in apps.get_models()
        if not hasattr(model, "instance_type")
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.name.endswith("_path")
    }
    assert found == set(GRID_PATH_COLUMNS)


@pytest.mark.django_db
def test_the_admin_does_not_move_a_node(
    tree: dict[str, GridNode], superuser_client: Client
) -> None:
    c = superuser_client
    grid_a = tree[GRID_A]
    page = c.post(
        f"/admin/grids/gridnode/{grid_a.pk}/change/",
        {
            "code": "410102001009001",
            "name": "碧沙岗第一网格",
            "level": "grid",
            "parent": tree[STREET].pk,
            "kind": grid_a.kind,
            "boundary": "null",  # read-only too: boundaries are checked by import_grids
        },
    )
    assert page.status_code == 302, page.content.decode()
    boundary = grid_a.boundary
    grid_a.refresh_from_db()
    assert grid_a.boundary == boundary and boundary is not None
    assert grid_a.name == "碧沙岗第一网格"
    assert (grid_a.code, grid_a.parent_id, grid_a.path) == (
        GRID_A,
        tree[COMMUNITY].pk,
        f"{DISTRICT}/{STREET}/{COMMUNITY}/{GRID_A}/",
    )
