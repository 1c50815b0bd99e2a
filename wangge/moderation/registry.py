"""How a verdict reaches the content it is about. The apps that hold content stand above this
one (circles, market), so each registers, in its AppConfig.ready, what publishing and hiding mean
for its kind; and circles lends its sensitive-word list as the local check."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    publish: Callable[[int], None]
    hide: Callable[[int, str], None]


_owners: dict[str, Owner] = {}
_screens: list[Callable[[str], tuple[list[str], list[str]]]] = []


def register(
    kind: str, *, publish: Callable[[int], None], hide: Callable[[int, str], None]
) -> None:
    _owners[kind] = Owner(publish=publish, hide=hide)


def owner(kind: str) -> Owner | None:
    return _owners.get(kind)


def register_local_screen(screen: Callable[[str], tuple[list[str], list[str]]]) -> None:
    """The district's own word list: (words that forbid posting, words that hold for review)."""
    _screens[:] = [screen]


def local_screen(text: str) -> tuple[list[str], list[str]]:
    return _screens[0](text) if _screens else ([], [])
