"""What accounts hears from Django: an account saved, or one of its roles granted or revoked,
is dropped from the API token cache (which holds the person and their grants).

Module-level, so the signal's weak reference always has something to point at. A function
defined inside AppConfig.ready and connected weakly dies when ready returns once DEBUG is off
(with DEBUG on, Django's receiver-signature check caches the function and so keeps it alive),
and the signal then has no listener in production only.
"""

from typing import Any

from wangge.accounts.models import RoleGrant, User
from wangge.accounts.services import api_token_forget_user


def forget_cached_tokens(
    sender: type[User],
    instance: User,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    # A deactivated or changed account must not go on being served from the token cache.
    # A login (only last_login written) changes nothing the cache holds that matters.
    if not created and update_fields != frozenset({"last_login"}):
        api_token_forget_user(instance)


def forget_tokens_of_grant(sender: type[RoleGrant], instance: RoleGrant, **kwargs: Any) -> None:
    # A role granted or revoked changes what the person's token may reach at once.
    api_token_forget_user(instance.user)
