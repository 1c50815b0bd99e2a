"""GB/T 31000 categories: only for users granted the permission, and then only in their grid."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.conftest import COMMUNITY
from wangge.accounts.models import Role, User
from wangge.core.errors import PermissionDenied
from wangge.residents.models import SecurityCategory
from wangge.residents.selectors import security_tags_visible
from wangge.residents.services import security_tag_set


def grant(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="view_securitytag"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@pytest.fixture
def flagged(people: Any, register: dict[str, Any], make_user: Any, tree: Any) -> dict[str, Any]:
    # A community's 综治 officer: the same role as 孙丽华, plus the permission she lacks.
    officer = grant(make_user(Role.COMMUNITY_STAFF, tree[COMMUNITY], name="综治专干"))
    security_tag_set(
        actor=officer,
        person=register["person_b"],
        category=SecurityCategory.COMMUNITY_CORRECTION,
        measures="每月谈话一次",
    )
    return {"officer": officer}


def test_no_role_alone_opens_the_categories(people: Any, register: Any, flagged: Any) -> None:
    for role in ("worker_a", "worker_b", "community", "dispatcher", "admin", "resident"):
        user = User.objects.get(pk=people[role].pk)
        assert not security_tags_visible(user).exists(), role
        c = Client()
        c.force_login(user)
        assert c.get("/residents/security/").status_code == 404
        page = c.get(f"/residents/persons/{register['person_b'].pk}/")
        assert "社区矫正人员" not in page.content.decode()
        with pytest.raises(PermissionDenied):
            security_tag_set(
                actor=user, person=register["elder"], category=SecurityCategory.KEY_YOUTH
            )


def test_granted_users_see_them_within_their_grid(people: Any, register: Any, flagged: Any) -> None:
    c = Client()
    c.force_login(flagged["officer"])
    body = c.get("/residents/security/").content.decode()
    assert "刘德胜" in body and "社区矫正人员" in body
    assert (
        "社区矫正人员" in c.get(f"/residents/persons/{register['person_b'].pk}/").content.decode()
    )
    # A grid A worker granted the permission still sees nothing of grid B.
    worker_a = grant(people["worker_a"])
    assert not security_tags_visible(worker_a).exists()
    c = Client()
    c.force_login(worker_a)
    assert "刘德胜" not in c.get("/residents/security/").content.decode()
    with pytest.raises(PermissionDenied):
        security_tag_set(
            actor=worker_a, person=register["person_b"], category=SecurityCategory.KEY_YOUTH
        )
    # Care-group lists and exports never carry the categories.
    export = Client()
    export.force_login(flagged["officer"])
    assert "社区矫正" not in export.get("/api/v1/residents/persons").content.decode()


def test_the_command_grants_and_revokes(people: Any, register: Any, flagged: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("residents_security_access", people["worker_b"].phone, stdout=out)
    assert "已授予" in out.getvalue()
    worker_b = User.objects.get(pk=people["worker_b"].pk)
    assert [t.person.name for t in security_tags_visible(worker_b)] == ["刘德胜"]
    call_command("residents_security_access", people["worker_b"].phone, "--revoke", stdout=out)
    assert not security_tags_visible(User.objects.get(pk=people["worker_b"].pk)).exists()
    with pytest.raises(CommandError):
        call_command("residents_security_access", "13000000000")


def test_the_tagging_page_exists_only_for_granted_users(
    people: Any, register: Any, flagged: Any
) -> None:
    from wangge.residents.models import SecurityTag

    elder = register["elder"]
    url = f"/residents/persons/{elder.pk}/security/"
    for role in ("worker_a", "community", "admin", "resident", "outsider"):
        c = Client()
        c.force_login(people[role])
        assert c.post(url, {"category": "key_youth"}).status_code == 404, role
        assert "标记综治重点人员" not in c.get(f"/residents/persons/{elder.pk}/").content.decode()
    officer = Client()
    officer.force_login(flagged["officer"])
    assert "标记综治重点人员" in officer.get(f"/residents/persons/{elder.pk}/").content.decode()
    resp = officer.post(
        url, {"category": "released", "measures": "每月谈心", "visit_every_days": "15"}
    )
    assert resp.status_code == 302
    tag = SecurityTag.objects.get(person=elder)
    assert (tag.category, tag.visit_every_days, tag.grid_path) == ("released", 15, elder.grid_path)
