"""The source policy: the beats file's `policy` block checked field by field, tiers by domain and kind,
blocked and allowed domains (subdomains included), freshness, and a fetcher that never asks for what is
refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroom.beats import load_beats
from newsroom.parsers import Fetched, FetchError
from newsroom.records import SourceRecord
from newsroom.sourcepolicy import PolicyError, ScreenedFetcher, SourcePolicy, default_policy

BEAT = '[beats.ai]\nchannel = "CAI"\nschedule = "0 7 * * *"\nsources = ["https://example.org/feed.xml"]\n'


def beats(tmp_path: Path, policy: str) -> tuple[dict[str, object], list[str]]:
    path = tmp_path / "beats.toml"
    path.write_text(BEAT + "[beats.ai.policy]\n" + policy + "\n" + BEAT.replace("ai", "city"))
    loaded = load_beats(path)
    return loaded.beats, loaded.errors


def test_a_beats_policy_block_is_read_and_laid_over_the_default(tmp_path: Path) -> None:
    loaded, errors = beats(
        tmp_path,
        'blocked_domains = ["www.Tabloid.example"]\nallowed_domains = []\nmin_tier = "Established_Outlet"\n'
        'freshness_days = 14\ntiers = { "localpaper.example" = "established outlet" }',
    )
    assert errors == []
    default = default_policy(blocked_domains="spam.example")
    policy = default.with_overrides("ai", loaded["ai"].policy)  # type: ignore[attr-defined]
    assert policy.name == "ai"
    assert policy.blocked_domains == ("spam.example", "tabloid.example")  # the default's stay blocked
    assert policy.min_tier == "established outlet" and policy.freshness_days == 14
    assert policy.tier("https://news.localpaper.example/a", "news") == "established outlet"
    assert policy.tier("https://www.reuters.com/x", "news") == "wire"  # the shipped table is still there
    assert loaded["city"].policy == {}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("policy", "named"),
    [
        ('blocked = ["x.example"]', "field 'policy.blocked': unknown field"),
        ('min_tier = "gossip"', "field 'policy.min_tier': 'gossip' is not a tier"),
        ('blocked_domains = "x.example"', "field 'policy.blocked_domains': expected a list"),
        (
            'allowed_domains = ["not a domain"]',
            "field 'policy.allowed_domains': 'not a domain' is not a domain",
        ),
        ("freshness_days = 0", "field 'policy.freshness_days': expected a whole number of days"),
        ('freshness_days = "2w"', "field 'policy.freshness_days': expected a whole number of days"),
        ('tiers = { "a.example" = "tabloid" }', "field 'policy.tiers', 'a.example': 'tabloid' is not a tier"),
    ],
)
def test_a_bad_policy_field_is_a_sentence_naming_beat_and_field(
    tmp_path: Path, policy: str, named: str
) -> None:
    loaded, errors = beats(tmp_path, policy)
    assert "ai" not in loaded and "city" in loaded  # the valid beat still loads
    assert len(errors) == 1 and errors[0].startswith("beat 'ai', ") and named in errors[0], errors


def test_tiers_by_domain_subdomain_and_kind() -> None:
    p = SourcePolicy()
    assert p.tier("https://uk.reuters.com/markets/1", "news") == "wire"
    assert p.tier("https://www.sec.gov/filing", "news") == "primary document"
    assert p.tier("https://data.example.gov/x", "news") == "primary document"  # under "gov"
    assert p.tier("https://www.reddit.com/r/x/comments/1", "news") == "social"  # a platform's page
    assert p.tier("https://unheard-of.example/a", "news") == "unknown"
    assert p.tier("https://unheard-of.example/a", "social") == "social"  # a post is social wherever it is
    assert (
        p.tier(None, "document") == "primary document" and p.tier(None, "press release") == "primary document"
    )
    assert p.tier(None, "") == "unknown"
    # a domain's own entry beats a broader one, and "notreuters.com" is no subdomain of reuters.com
    p = SourcePolicy(tiers={"gov": "primary document", "spin.example.gov": "unknown"})
    assert p.tier("https://a.spin.example.gov/", "news") == "unknown"
    assert SourcePolicy().tier("https://notreuters.com/x", "news") == "unknown"


def test_the_minimum_tier_orders_tiers() -> None:
    assert SourcePolicy().establishes("unknown") and not SourcePolicy().establishes("social")
    strict = SourcePolicy(min_tier="wire")
    assert strict.establishes("primary document") and not strict.establishes("established outlet")


def record(url: str | None, day: int | None = 25, **fields: object) -> SourceRecord:
    published = datetime(2026, 11, day, tzinfo=UTC) if day else None
    return SourceRecord(text="Something happened.", url=url, published_at=published, **fields)  # type: ignore[arg-type]


def test_blocked_and_allowed_domains_and_freshness() -> None:
    p = SourcePolicy(blocked_domains=("tabloid.example",), freshness_days=7)
    assert p.refusal("https://m.tabloid.example/story") == "blocked domain tabloid.example"
    assert p.refusal("https://tabloid.example.org/story") == ""  # another domain that only starts alike
    assert p.refusal(None) == ""  # an operator's file has no domain to block
    only = SourcePolicy(allowed_domains=("reuters.com", "apnews.com"))
    assert only.refusal("https://www.reuters.com/x") == ""
    assert only.refusal("https://example.org/x") == "not among the allowed domains"
    now = datetime(2026, 11, 30, tzinfo=UTC)
    kept, dropped = p.screen(
        [
            record("https://a.example/1"),
            record("https://a.example/2", day=2),
            record("https://tabloid.example/3"),
        ],
        now,
    )
    assert [r.url for r in kept] == ["https://a.example/1"]
    assert [d["reason"] for d in dropped] == ["older than 7 days", "blocked domain tabloid.example"]
    # without `now` (an explainer) freshness does not apply; an undated record is never stale
    assert len(p.screen([record("https://a.example/2", day=2)])[0]) == 1
    assert not p.stale(record("https://a.example/4", day=None), now)


def test_the_global_default_from_settings_values_and_a_tiers_file(tmp_path: Path) -> None:
    tiers = tmp_path / "tiers.toml"
    tiers.write_text('[domains]\n"localpaper.example" = "established outlet"\n[kinds]\nnews = "social"\n')
    p = default_policy("", "a.example, b.example", "wire", 3, tiers)
    assert p.blocked_domains == ("a.example", "b.example") and p.min_tier == "wire"
    assert p.tier("https://localpaper.example/x", "news") == "established outlet"
    assert p.tier("https://other.example/x", "news") == "social"
    assert p.tier("https://apnews.com/x", "news") == "wire"  # merged over the shipped table
    assert SourcePolicy.from_json(p.to_json()) == p
    with pytest.raises(PolicyError, match="NEWSROOM_POLICY_MIN_TIER: 'best' is not a tier"):
        default_policy(min_tier="best")
    tiers.write_text('[domains]\n"x.example" = "great"\n')
    with pytest.raises(PolicyError, match="'great' is not a tier"):
        default_policy(tiers_file=tiers)


def test_a_screened_fetcher_never_asks_for_a_refused_url() -> None:
    asked: list[str] = []

    def fetch(url: str) -> Fetched:
        asked.append(url)
        return Fetched(url, b"<html></html>", "text/html")

    screened = ScreenedFetcher(fetch, SourcePolicy(blocked_domains=("tabloid.example",)))
    with pytest.raises(FetchError, match=r"blocked domain tabloid\.example"):
        screened("https://www.tabloid.example/story")
    with pytest.raises(FetchError, match="blocked domain"):
        screened.api("https://api.tabloid.example/v1/posts")
    assert asked == []
    assert screened("https://example.org/story").url == "https://example.org/story"
    assert asked == ["https://example.org/story"]


def test_ingest_for_a_beat_rejects_a_record_from_a_refused_domain_saying_why(tmp_path: Path) -> None:
    from newsroom.service import Newsroom
    from newsroom.settings import Settings
    from tests.fakes.store import FakeStore

    lines = tmp_path / "in.jsonl"
    lines.write_text(
        '{"url": "https://m.tabloid.example/1", "text": "A scoop."}\n{"url": "https://ok.example/2", "text": "News."}\n'
    )
    settings = Settings(data_dir=tmp_path / "data", beats_file=tmp_path / "none.toml")
    settings.policy.blocked_domains = "tabloid.example"
    room = Newsroom(settings, store_override=FakeStore())
    report = room.ingest([str(lines)], beat="city")
    assert len(report.added) == 1
    assert "blocked domain tabloid.example" in str(report.rejected)
    # without a beat, ingest is as it was: the store keeps what the operator named; stories still drop it
    assert len(room.ingest([str(lines)]).rejected) == 0
