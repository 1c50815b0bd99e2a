"""API tokens: created by a command that prints them once, revocable, Bearer-authenticated."""

import pickle
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from tests.conftest import PASSWORD
from wangge.accounts.models import ApiToken
from wangge.accounts.services import api_token_revoke

URL = "/api/v1/grids/locate?lon=113.6005&lat=34.7505"


def create_token(phone: str, *args: str) -> str:
    out = StringIO()
    call_command("create_api_token", phone, *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_command_prints_a_working_token_and_stores_only_its_hash(cast: dict[str, Any]) -> None:
    key = create_token(cast["dispatcher"].phone, "--name", "12345 热线")
    token = ApiToken.objects.get()
    assert token.name == "12345 热线"
    assert key.startswith(f"wg_{token.prefix}_")
    assert key not in token.key_hash
    resp = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200
    assert resp.json()["micro_grid"]["code"].endswith("001001")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_or_wrong_tokens_get_401(cast: dict[str, Any]) -> None:
    key = create_token(cast["dispatcher"].phone)
    # Used once first, so the person behind it is in the token cache: revoking must end that.
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    api_token_revoke(token=ApiToken.objects.get())
    for bad in (key, key + "x", "wg_nothing", "not-even-close"):
        resp = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert resp.status_code == 401
        assert resp.json() == {"detail": "未登录或令牌无效"}


def test_token_of_a_deactivated_user_stops_working(cast: dict[str, Any]) -> None:
    user = cast["dispatcher"]
    key = create_token(user.phone)
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    user.is_active = False
    user.save()
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_demo_tokens_work_only_in_demo_mode(
    cast: dict[str, Any], make_user: Any, tree: Any
) -> None:
    demo = make_user(name="演示", is_demo=True)
    key = create_token(demo.phone)
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with override_settings(DEMO_MODE=False):
        assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_unknown_user(db: Any) -> None:
    with pytest.raises(CommandError, match="不存在"):
        create_token("13900009999")
    with pytest.raises(CommandError, match="不是有效的手机号"):
        create_token("zhangsan")


def test_the_token_cache_holds_no_password_hash_and_a_cached_person_saves_safely(
    cast: dict[str, Any],
) -> None:
    from django.core.cache import cache

    from wangge.accounts.services import _token_cache_key, api_token_authenticate

    user = cast["dispatcher"]
    key = create_token(user.phone)
    first = api_token_authenticate(key)
    assert first is not None and first.pk == user.pk
    entry = cache.get(_token_cache_key(ApiToken.hash_key(key)))
    stored = pickle.dumps(entry)  # what the cache (Redis in production) keeps
    assert user.password and user.password.encode() not in stored
    assert user.phone.encode() in stored  # the entry is there, only without the secret
    cached = api_token_authenticate(key)  # served from the cache
    assert cached is not None and cached.phone == user.phone
    cached.name = "改过的名字"
    cached.save()  # only the loaded fields are written
    user.refresh_from_db()
    assert user.name == "改过的名字"
    assert user.check_password(PASSWORD)


def test_a_deactivation_clears_the_cache_again_when_it_commits(
    cast: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # A request that read the account between the save and the commit would have cached it as
    # still active; the entry is dropped once more when the change commits.
    from django.core.cache import cache

    from wangge.accounts.services import _token_cache_key, api_token_authenticate

    user = cast["dispatcher"]
    key = create_token(user.phone)
    assert api_token_authenticate(key) is not None
    entry_key = _token_cache_key(ApiToken.hash_key(key))
    stale = cache.get(entry_key)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.is_active = False
        user.save()
        cache.set(entry_key, stale)  # the concurrent request's re-cache
    assert api_token_authenticate(key) is not None  # served, stale, until the commit
    for callback in callbacks:
        callback()
    assert cache.get(entry_key) is None
    assert api_token_authenticate(key) is None


def test_a_bearer_client_s_grants_come_with_the_cached_person_and_go_when_one_changes(
    cast: dict[str, Any], tree: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from tests.conftest import GRID_A, GRID_B
    from wangge.accounts.models import Role, RoleGrant
    from wangge.accounts.services import api_token_authenticate, role_grant

    worker = cast["worker_a"]
    key = create_token(worker.phone)
    first = api_token_authenticate(key)  # read from the database, grants included
    assert first is not None and first.scope_paths() == (tree[GRID_A].path,)
    # Served from the cache: the person, their roles and their scope cost no query.
    with django_assert_num_queries(0):
        cached = api_token_authenticate(key)
        assert cached is not None
        assert cached.has_role(Role.GRID_WORKER)
        assert cached.scope_paths() == (tree[GRID_A].path,)
    # A role granted reaches the token's next request, and so does one revoked.
    role_grant(user=worker, role=Role.GRID_WORKER, node=tree[GRID_B])
    granted = api_token_authenticate(key)
    assert granted is not None
    assert set(granted.scope_paths() or ()) == {tree[GRID_A].path, tree[GRID_B].path}
    RoleGrant.objects.filter(user=worker, node=tree[GRID_A]).delete()
    revoked = api_token_authenticate(key)
    assert revoked is not None and revoked.scope_paths() == (tree[GRID_B].path,)
