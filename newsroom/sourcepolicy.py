"""A source policy: which domains a story may draw on, how far each outlet is trusted, and how fresh a record
must be for a briefing.

One global default (settings, `NEWSROOM_POLICY_*`) and a `policy` table per beat in the beats file, which
overrides the default field by field (its blocked domains add to the default's). Tiers rank outlets:
primary document > wire > established outlet > unknown > social. A value only records below `min_tier`
carry is attributed in a story, never stated as established (`newsroom/claims/standing.py`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from newsroom.parsers import Fetched, Fetcher, FetchError, Parsed
from newsroom.records import KINDS, SourceRecord

# Lowest trust first: a tier at or above the policy's minimum establishes a fact.
TIERS = ("social", "unknown", "established outlet", "wire", "primary document")
SHIPPED_TIERS = Path(__file__).with_name("source_tiers.toml")
POLICY_KEYS = ("allowed_domains", "blocked_domains", "min_tier", "freshness_days", "tiers")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class PolicyError(ValueError):
    """A policy value newsroom cannot use; the message names the field and says what is expected."""


def tier_name(value: Any, where: str) -> str:
    """A tier as written ("Established_Outlet", "wire") -> one of TIERS, or PolicyError naming `where`."""
    text = " ".join(str(value).replace("_", " ").replace("-", " ").split()).lower()
    if text not in TIERS:
        raise PolicyError(f"{where}: {str(value)!r} is not a tier (use one of: {', '.join(TIERS)})")
    return text


def domain_name(value: Any, where: str) -> str:
    """A domain as written ("www.Example.org", "https://example.org/x") -> "example.org", or PolicyError."""
    text = str(value).strip().lower()
    if "//" in text:
        text = urlsplit(text).hostname or ""
    text = text.strip(".").removeprefix("www.")
    if not text or not all(_LABEL.match(label) for label in text.split(".")):
        raise PolicyError(f"{where}: {str(value)!r} is not a domain like 'example.org'")
    return text


def domains(value: Any, where: str) -> tuple[str, ...]:
    """A list of domains (TOML list, or comma-separated text from the environment), each checked."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise PolicyError(f"{where}: expected a list of domains like ['example.org']")
    return tuple(dict.fromkeys(domain_name(d, where) for d in items if str(d).strip()))


def host_of(url: str | None) -> str:
    """The host a URL names, lower case, without `www.`; "" for no URL or no host."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.strip(".").lower().removeprefix("www.")


def under(host: str, domain: str) -> bool:
    """Is `host` the domain or one of its subdomains? ("news.example.org" is under "example.org")."""
    return bool(host) and (host == domain or host.endswith("." + domain))


def _tier_table(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{where}: expected a table of domain = tier")
    return {domain_name(d, where): tier_name(t, f"{where}, {d!r}") for d, t in raw.items()}


def read_tiers(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A tiers file: its [domains] and [kinds] tables, checked; PolicyError naming the file otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"the tiers file {path} cannot be read: {exc}") from None
    unknown = sorted(set(data) - {"domains", "kinds"})
    if unknown:
        raise PolicyError(f"the tiers file {path} has unknown tables {unknown} (known: domains, kinds)")
    by_domain = _tier_table(data.get("domains", {}), f"{path} [domains]")
    kinds_raw = data.get("kinds", {})
    if not isinstance(kinds_raw, Mapping) or any(k not in KINDS and k != "" for k in kinds_raw):
        raise PolicyError(f"{path} [kinds]: give a tier for record kinds only ({', '.join(KINDS)})")
    by_kind = {str(k): tier_name(t, f"{path} [kinds], {k!r}") for k, t in kinds_raw.items()}
    return by_domain, by_kind


@lru_cache(maxsize=1)
def shipped_tiers() -> tuple[dict[str, str], dict[str, str]]:
    return read_tiers(SHIPPED_TIERS)


@dataclass(frozen=True)
class SourcePolicy:
    """What a story may draw on and how far it trusts each source. `name` is the beat's, or "default"."""

    name: str = "default"
    allowed_domains: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    min_tier: str = "unknown"
    freshness_days: int | None = None
    tiers: Mapping[str, str] = field(default_factory=lambda: dict(shipped_tiers()[0]))
    kind_tiers: Mapping[str, str] = field(default_factory=lambda: dict(shipped_tiers()[1]))

    def tier(self, url: str | None, kind: str = "") -> str:
        """A record's tier: a social post is social; else its domain's (the longest match), else its kind's."""
        if kind == "social":
            return "social"
        host = host_of(url)
        matches = [d for d in self.tiers if under(host, d)]
        if matches:
            return self.tiers[max(matches, key=len)]
        return self.kind_tiers.get(kind, self.kind_tiers.get("", "unknown"))

    def tier_of(self, record: SourceRecord) -> str:
        return self.tier(record.url, record.kind)

    def establishes(self, tier: str) -> bool:
        """May a record of this tier make a fact established on its own?"""
        return TIERS.index(tier) >= TIERS.index(self.min_tier) if tier in TIERS else False

    def refusal(self, url: str | None) -> str:
        """Why a record at this URL may not reach a story ("" when it may). A record without a URL (a file
        the operator ingested) has no domain to block."""
        host = host_of(url)
        if not host:
            return ""
        blocked = next((d for d in self.blocked_domains if under(host, d)), None)
        if blocked:
            return f"blocked domain {blocked}"
        if self.allowed_domains and not any(under(host, d) for d in self.allowed_domains):
            return "not among the allowed domains"
        return ""

    def stale(self, record: SourceRecord, now: datetime) -> bool:
        """Older than the freshness limit (an undated record cannot be judged, and stays)."""
        if self.freshness_days is None or record.published_at is None:
            return False
        return record.published_at < now - timedelta(days=self.freshness_days)

    def screen(
        self, records: Iterable[SourceRecord], now: datetime | None = None
    ) -> tuple[list[SourceRecord], list[dict[str, str]]]:
        """The records this policy admits, and one {record_id, title, outlet, reason} per record dropped;
        with `now` (a briefing), records older than the freshness limit are dropped too."""
        kept: list[SourceRecord] = []
        dropped: list[dict[str, str]] = []
        for r in records:
            reason = self.refusal(r.url)
            if not reason and now is not None and self.stale(r, now):
                reason = f"older than {self.freshness_days} days"
            if reason:
                dropped.append({"record_id": r.id, "title": r.title, "outlet": r.outlet, "reason": reason})
            else:
                kept.append(r)
        return kept, dropped

    def with_overrides(self, name: str, overrides: Mapping[str, Any]) -> SourcePolicy:
        """A beat's policy: this default with the beat's checked fields (`check_overrides`) laid over it."""
        changes: dict[str, Any] = {"name": name}
        for key, value in overrides.items():
            if key == "blocked_domains":
                changes[key] = tuple(dict.fromkeys((*self.blocked_domains, *value)))
            elif key == "tiers":
                changes[key] = {**self.tiers, **value}
            else:
                changes[key] = value
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The policy as a story keeps it (checkpointed with the story, read back by `from_json`)."""
        return {
            "name": self.name,
            "allowed_domains": list(self.allowed_domains),
            "blocked_domains": list(self.blocked_domains),
            "min_tier": self.min_tier,
            "freshness_days": self.freshness_days,
            "tiers": dict(self.tiers),
            "kind_tiers": dict(self.kind_tiers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> SourcePolicy:
        if not data:
            return cls()
        return cls(
            name=str(data.get("name") or "default"),
            allowed_domains=tuple(data.get("allowed_domains") or ()),
            blocked_domains=tuple(data.get("blocked_domains") or ()),
            min_tier=str(data.get("min_tier") or "unknown"),
            freshness_days=data.get("freshness_days"),
            tiers=dict(data.get("tiers") or shipped_tiers()[0]),
            kind_tiers=dict(data.get("kind_tiers") or shipped_tiers()[1]),
        )

    def summary(self) -> str:
        """What the policy is, in a clause: "beat ai: blocking tabloid.example; established from unknown up"."""
        parts = []
        if self.allowed_domains:
            parts.append("only " + ", ".join(self.allowed_domains))
        if self.blocked_domains:
            parts.append("blocking " + ", ".join(self.blocked_domains))
        parts.append(
            f"a value is stated as fact only when a source of tier {self.min_tier} or higher carries it"
        )
        if self.freshness_days is not None:
            parts.append(f"briefings drop records older than {self.freshness_days} days")
        who = "the default policy" if self.name == "default" else f"the {self.name} beat's policy"
        return f"{who} ({'; '.join(parts)})"


def check_overrides(raw: Any, where: str) -> tuple[dict[str, Any], list[str]]:
    """A beat's `policy` table, checked field by field: (the usable fields, one sentence per bad one).
    `where` names the beat ("beat 'ai'"); each sentence names the field as `policy.<key>`."""
    if not isinstance(raw, Mapping):
        return {}, [f"{where}, field 'policy': expected a table ([beats.<name>.policy])"]
    out: dict[str, Any] = {}
    errors: list[str] = []
    for key in sorted(set(raw) - set(POLICY_KEYS)):
        errors.append(f"{where}, field 'policy.{key}': unknown field (known: {', '.join(POLICY_KEYS)})")
    for key in POLICY_KEYS:
        if key not in raw:
            continue
        value, at = raw[key], f"{where}, field 'policy.{key}'"
        try:
            if key in ("allowed_domains", "blocked_domains"):
                if not isinstance(value, list):
                    raise PolicyError(f"{at}: expected a list of domains like ['example.org']")
                out[key] = domains(value, at)
            elif key == "min_tier":
                out[key] = tier_name(value, at)
            elif key == "freshness_days":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise PolicyError(f"{at}: expected a whole number of days, at least 1")
                out[key] = value
            else:
                out[key] = _tier_table(value, at)
        except PolicyError as exc:
            errors.append(str(exc))
    return out, errors


def default_policy(
    allowed_domains: str = "",
    blocked_domains: str = "",
    min_tier: str = "unknown",
    freshness_days: int | None = None,
    tiers_file: Path | None = None,
) -> SourcePolicy:
    """The global default from the settings' values; PolicyError naming the setting when one is bad."""
    by_domain, by_kind = shipped_tiers()
    if tiers_file is not None:
        extra_domains, extra_kinds = read_tiers(tiers_file)
        by_domain, by_kind = {**by_domain, **extra_domains}, {**by_kind, **extra_kinds}
    if freshness_days is not None and freshness_days < 1:
        raise PolicyError("NEWSROOM_POLICY_FRESHNESS_DAYS: expected a whole number of days, at least 1")
    return SourcePolicy(
        allowed_domains=domains(allowed_domains, "NEWSROOM_POLICY_ALLOWED_DOMAINS"),
        blocked_domains=domains(blocked_domains, "NEWSROOM_POLICY_BLOCKED_DOMAINS"),
        min_tier=tier_name(min_tier, "NEWSROOM_POLICY_MIN_TIER"),
        freshness_days=freshness_days,
        tiers=by_domain,
        kind_tiers=by_kind,
    )


class ScreenedFetcher:
    """A fetcher that refuses, before any request, what the policy refuses (a beat's blocked domains are
    never fetched: not its feeds, not a feed's linked articles, not a platform's API)."""

    def __init__(self, fetch: Fetcher, policy: SourcePolicy) -> None:
        self.fetch, self.policy = fetch, policy

    def _check(self, url: str) -> None:
        reason = self.policy.refusal(url)
        if reason:
            raise FetchError(f"{url} is not fetched: {reason} ({self.policy.summary()})")

    def __call__(self, url: str) -> Fetched:
        self._check(url)
        return self.fetch(url)

    def api(self, url: str) -> Fetched:
        self._check(url)
        return cast(Fetcher, getattr(self.fetch, "api", self.fetch))(url)


def screen_parsed(
    parsed: Iterable[Parsed], policy: SourcePolicy
) -> tuple[list[Parsed], list[dict[str, str]]]:
    """What was read, with every record the policy refuses (a feed's entry linking to a blocked domain) turned
    into a rejection saying why; and one {record_id, title, outlet, reason} per record refused."""
    out: list[Parsed] = []
    refused: list[dict[str, str]] = []
    for p in parsed:
        r = p.record
        reason = policy.refusal(r.url) if r else ""
        if r and reason:
            refused.append({"record_id": r.id, "title": r.title, "outlet": r.outlet, "reason": reason})
            out.append(
                Parsed(p.source, p.line, error=f"{r.url} is not stored: {reason} ({policy.summary()})")
            )
        else:
            out.append(p)
    return out, refused
