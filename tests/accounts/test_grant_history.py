"""Role grants keep their history: granted and withdrawn in the admin, with who did it, and the
history itself cannot be edited or deleted there."""

import pytest
from django.contrib import admin
from django.test import Client

from tests.conftest import GRID_A
from wangge.accounts.models import Role, RoleGrant, User
from wangge.grids.models import GridNode


@pytest.mark.django_db
def test_a_grant_and_its_withdrawal_are_kept_with_who(
    tree: dict[str, GridNode], superuser_client: Client
) -> None:
    worker = User.objects.create_user("13800001111", "pw", name="郑晓东")
    resp = superuser_client.post(
        "/admin/accounts/rolegrant/add/",
        {"user": worker.pk, "role": Role.GRID_WORKER, "node": tree[GRID_A].pk},
    )
    assert resp.status_code == 302
    grant = RoleGrant.objects.get(user=worker)
    resp = superuser_client.post(f"/admin/accounts/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert resp.status_code == 302 and not RoleGrant.objects.filter(user=worker).exists()

    rows = list(RoleGrant.history.filter(user=worker).order_by("history_id"))  # type: ignore[attr-defined]
    assert [r.history_type for r in rows] == ["+", "-"]
    assert {r.history_user.phone for r in rows} == {"13900009999"}
    assert (rows[1].role, rows[1].node_id) == (Role.GRID_WORKER, tree[GRID_A].pk)


@pytest.mark.django_db
def test_no_history_table_can_be_changed_or_deleted_in_the_admin(superuser_client: Client) -> None:
    """Append-only: the admin has no page for any history table (the audit page reads them),
    and no model admin offers one (django-simple-history's revert is switched off too)."""
    from django.conf import settings

    from wangge.audit.history import REGISTERS

    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    for register in REGISTERS:
        history = register.history
        assert not admin.site.is_registered(history), register.label
        meta = history._meta
        for view in ("", "1/change/", "1/delete/"):
            url = f"/admin/{meta.app_label}/{meta.model_name}/{view}"
            assert superuser_client.get(url).status_code == 404, url
