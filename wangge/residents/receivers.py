"""What the register hears from accounts: a resident who completes real-name verification is
linked to the register's person with the same ID number (registering later).

Module-level, so the signal's weak reference always has something to point at (see
wangge/accounts/receivers.py for what a function nested in AppConfig.ready did instead).
"""

from typing import Any

from wangge.accounts.models import User
from wangge.residents.services import person_link_account


def link_person(sender: type[User], user: User, **kwargs: Any) -> None:
    # Registering later: the register already knows this ID number.
    person_link_account(user=user)
