"""Social platforms as sources: which targets name one, and each post they stand for as a record's fields."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from newsroom.settings import WebSettings
from newsroom.social import bsky, hn, mastodon, reddit
from newsroom.social.common import PLATFORM_NAMES, Fetch, Item, SocialError

__all__ = ["Item", "SocialError", "is_social", "platform_of", "read"]

_PREFIXES: dict[str, ModuleType] = {"reddit:": reddit, "hn:": hn, "bsky:": bsky, "mastodon:": mastodon}
_NAMES = {reddit: "reddit", hn: "hn", bsky: "bluesky", mastodon: "mastodon"}


def platform_of(target: str) -> ModuleType | None:
    """The reader for a `reddit:`/`hn:`/`bsky:`/`mastodon:` target or a post's link, else None."""
    lowered = target.strip().lower()
    for prefix, module in _PREFIXES.items():
        if lowered.startswith(prefix):
            return module
    for module in (reddit, hn, bsky, mastodon):
        if module.POST_URL.match(target.strip()):
            return module
    return None


def is_social(target: str) -> bool:
    return platform_of(target) is not None


def is_guess(target: str) -> bool:
    """A link read as a Mastodon post by its shape alone (any host can serve /@user/123): worth a page fetch
    when the Mastodon API is not there."""
    return platform_of(target) is mastodon and not target.strip().lower().startswith("mastodon:")


def read(target: str, web: WebSettings, fetch: Fetch, defaults: dict[str, Any]) -> Iterator[Item]:
    """Each post's record fields (or the sentence why not); a fetch failure is the caller's to report."""
    target = target.strip()
    module = platform_of(target)
    if module is None:
        yield Item(target, error="not a social source newsroom knows")
        return
    name = PLATFORM_NAMES[_NAMES[module]]
    try:
        yield from module.read(target, web, fetch, defaults)
    except SocialError as exc:
        yield Item(target, error=str(exc))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        yield Item(
            target,
            error=f"{name}'s answer is not in the shape the platform sends ({type(exc).__name__}: {exc}); "
            "nothing more was read from it",
        )
    except RecursionError:
        yield Item(target, error=f"{name}'s answer is nested too deeply to read")
