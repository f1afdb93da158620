"""The one place newsroom reads its configuration (environment, `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROLES = ("research", "factcheck", "framing", "writer")


class IngestSettings(BaseModel):
    """Limits applied to every record on the way in."""

    max_text_chars: int = Field(200_000, description="Records with longer text are rejected.")
    fetch_timeout_s: float = Field(
        20.0, description="Deadline for one whole fetch (every redirect and every byte), not per read."
    )
    max_fetch_bytes: int = Field(10_000_000, description="A page or feed larger than this is not read.")
    user_agent: str = "newsroom/0.1"
    feed_fetch_articles: bool = Field(
        True, description="Fetch the linked article when a feed entry carries only a short summary."
    )


class StoreSettings(BaseModel):
    """How records are chunked, embedded and matched."""

    collection_prefix: str = "newsroom"
    chunk_words: int = 120
    chunk_overlap_words: int = 20
    near_dup_candidates: int = 5
    near_dup_min_cosine: float = 0.80
    near_dup_min_overlap: float = 0.60
    hnsw_ef_search: int = 200
    hnsw_ef_construction: int = 200
    hnsw_max_neighbors: int = 32


class ResearchSettings(BaseModel):
    """Which records a story gets, and how much of each the prompts read (`NEWSROOM_RESEARCH_*`)."""

    k: int = Field(12, description="Chunks asked of the store for each search question.")
    max_sources: int = Field(12, description="At most this many records become a story's sources.")
    min_relevance: float = Field(0.40, description="A record less relevant than this (cosine) is dropped.")
    relative_relevance: float = Field(
        0.70, description="A record is kept only within this share of the best record's relevance."
    )
    story_relevance: float = Field(
        0.55,
        description="A record whose text reads at least this like the story's clearest records (cosine with "
        "their mean) is kept however little it shares the topic's wording.",
    )
    story_floor: float = Field(
        0.50,
        description="A record the topic finds must still read at least this like the story's clearest records.",
    )
    core_relevance: float = Field(
        0.85, description="The story's clearest records are those within this share of the best relevance."
    )
    core_records: int = Field(3, description="At most this many records stand for the story itself.")
    source_chars: int = Field(1500, description="Characters of each record the fact-check prompt reads.")
    writer_source_chars: int = Field(
        700,
        description="Characters of each record the writer's prompt reads; the writer also gets the checked "
        "facts, and shorter sources keep prompts small.",
    )


class ClaimsSettings(BaseModel):
    """How the fact-check reads and compares what records state (`NEWSROOM_CLAIMS_*`); the similarities
    are cosines of the offline sentence embedder (newsroom/embedding.py)."""

    model_fact_sources: int = Field(
        8, description="The most relevant records get model extraction; every record gets code's reading."
    )
    fact_workers: int = Field(2, description="Records read by the model at once.")
    subject_similarity: float = Field(
        0.75, description="Two model facts whose subjects read at least this alike are about one thing."
    )
    party_similarity: float = Field(
        0.20, description="How alike the words around two parties given one role must read to be compared."
    )
    value_similarity: float = Field(
        0.30,
        description="How alike the sentences (or words around) two values must read to be compared, when "
        "each is the other's closest counterpart in its record.",
    )
    bare_value_similarity: float = Field(
        0.45,
        description="The same for a bare count ('about 40'): it names nothing it counts, so its words must "
        "agree more.",
    )
    same_unit_similarity: float = Field(
        0.20,
        description="The same for counts of one thing ('187 residents', '214 residents'): less is needed.",
    )
    unit_similarity: float = Field(
        0.6, description="Two counted nouns read at least this alike are one unit ('employees' ~ 'workers')."
    )
    max_ratio: float = Field(
        10.0, description="Reports of one quantity do not differ more than this many times."
    )
    cross_language_similarity: float = Field(
        0.80,
        description="How alike (multilingual embedder) the sentences of two values in records of different "
        "languages must read to be compared; that embedder's cosines run high, unrelated text near 0.7.",
    )


class WebSettings(BaseModel):
    """Social platforms read as sources, and how newsroom behaves as a web client (`NEWSROOM_WEB_*`)."""

    reddit_url: str = Field("https://www.reddit.com", description="Reddit's public JSON endpoints.")
    hn_url: str = Field("https://hn.algolia.com/api/v1", description="Hacker News' Algolia API.")
    bsky_url: str = Field("https://public.api.bsky.app", description="Bluesky's public AppView (XRPC).")
    mastodon_url: str = Field(
        "https://{instance}", description="A Mastodon instance's API root; {instance} is the instance named."
    )
    posts: int = Field(
        25, ge=1, description="At most this many posts are read from one listing, search or timeline."
    )
    replies: int = Field(
        5, ge=0, description="A thread's top replies folded into its post's record as context."
    )
    contact: str = Field(
        "",
        description="How a site's operator reaches whoever runs this newsroom (URL or e-mail), in the User-Agent.",
    )
    rate_per_host: float = Field(
        1.0,
        ge=0,
        description="Requests per second to one site (scheme, host, port), shared by a process' threads; 0: no limit.",
    )
    burst_per_host: int = Field(
        4,
        ge=1,
        description="Requests to one site that may go at once before the rate applies (a feed and a few links).",
    )
    robots: bool = Field(
        True, description="Honour robots.txt for pages (platform APIs are not crawled pages)."
    )
    conditional: bool = Field(
        True, description="Remember ETag / Last-Modified and ask only for what changed."
    )


class PolicySettings(BaseModel):
    """The global default source policy (`NEWSROOM_POLICY_*`); a beat's `policy` table overrides it."""

    allowed_domains: str = Field("", description="Comma-separated domains stories may draw on (empty: all).")
    blocked_domains: str = Field("", description="Comma-separated domains whose records never reach a story.")
    min_tier: str = Field(
        "unknown",
        description="The lowest tier whose records establish a fact (social, unknown, established outlet, "
        "wire, primary document); a value only lower-tier records carry is attributed.",
    )
    freshness_days: int | None = Field(None, description="A briefing drops records older than this.")
    tiers_file: Path | None = Field(
        None, description="A TOML of [domains] and [kinds] tiers over the shipped one."
    )


class RoleModel(BaseModel):
    """One role's model endpoint; unset fields fall back to the default endpoint."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str | None = None


class ModelPrice(BaseModel):
    """What one model costs, in US dollars per 1,000 tokens sent (prompt) and received (completion)."""

    prompt_per_1k: float = Field(ge=0)
    completion_per_1k: float = Field(ge=0)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.prompt_per_1k + completion_tokens * self.completion_per_1k) / 1000


class LLMSettings(BaseModel):
    """Default OpenAI-compatible endpoint for every role (all unset: the embedded model)."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str | None = None
    temperature: float = 0.2
    timeout_s: float = Field(30.0, description="Time-out of one call to a configured endpoint.")
    local_timeout_s: float = Field(
        600.0, description="Time-out of one call to the embedded model (on CPU; slow, never hung)."
    )
    max_attempts: int = 4
    budget_s: float = Field(
        60.0, description="All attempts of one call together: a hung endpoint fails in about a minute."
    )
    research: RoleModel = RoleModel()
    factcheck: RoleModel = RoleModel()
    framing: RoleModel = RoleModel()
    writer: RoleModel = RoleModel()
    prices: dict[str, ModelPrice] = Field(
        default_factory=dict,
        description='Per model name, USD per 1k tokens, as JSON: {"gpt-4o-mini": {"prompt_per_1k": 0.00015, '
        '"completion_per_1k": 0.0006}}. A model with no price has its tokens counted and its cost shown as '
        '"no price set".',
    )

    @model_validator(mode="before")
    @classmethod
    def _group_role_keys(cls, data: Any) -> Any:
        # NEWSROOM_LLM_WRITER_MODEL arrives as {"writer_model": ...}: fold it into {"writer": {...}}.
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            role, _, field = str(key).partition("_")
            if role in ROLES and field:
                out.setdefault(role, {})
                if isinstance(out[role], dict):
                    out[role][field] = value
            else:
                out[key] = value
        return out

    def for_role(self, role: str) -> RoleModel:
        """The endpoint a role uses: its own fields, else the defaults."""
        own: RoleModel = getattr(self, role)
        return RoleModel(
            base_url=own.base_url or self.base_url,
            api_key=own.api_key or self.api_key,
            model=own.model or self.model,
        )


class SlackSettings(BaseModel):
    """Where the bot talks and who may decide."""

    api_url: str = "https://slack.com/api/"
    publish_channel: str | None = None
    approvers: str = Field("", description="Comma-separated Slack user ids allowed to decide.")
    approver_group: str | None = None
    ingest_group: str | None = Field(
        None, description="Slack user group allowed to /newsroom ingest (besides the approvers)."
    )
    explain_channel: str | None = Field(
        None, description="Where App Home's New explainer starts a story when no beat is picked."
    )
    max_file_bytes: int = Field(
        20_000_000, description="A file shared in a story's thread larger than this is not downloaded."
    )

    @property
    def approver_ids(self) -> list[str]:
        return [a.strip() for a in self.approvers.split(",") if a.strip()]


class QueueSettings(BaseModel):
    """The job queue and its workers, used when NEWSROOM_DATABASE_URL is set (`NEWSROOM_QUEUE_*`)."""

    concurrency: int = Field(4, description="Jobs one `newsroom worker` runs at once (threads).")
    poll_s: float = Field(
        5.0, description="Longest wait between looks for new jobs (LISTEN/NOTIFY wakes sooner)."
    )
    heartbeat_s: float = Field(10.0, description="How often a worker tells the database it is alive.")
    stalled_s: float = Field(
        60.0,
        description="A worker silent this long is gone: its jobs are run again by another worker "
        "(the story resumes from its last checkpoint).",
    )
    recover_every_s: float = Field(15.0, description="How often each worker looks for stalled jobs.")
    shutdown_grace_s: float = Field(
        60.0,
        description="On SIGTERM, how long the current job may take to finish before it is released "
        "(stopped between two steps and put back in the queue).",
    )
    publish_attempts: int = Field(6, description="Tries of an unfinished publication before it is given up.")
    publish_wait_s: int = Field(
        2, description="Back-off base of publication retries: waits of 2, 4, 8 … seconds for base 2."
    )
    beat_cron: str = Field(
        "* * * * *",
        description="How often workers look for due beat slots (cron; a sixth field is seconds).",
    )
    keep_done_h: int = Field(
        72, description="Jobs that succeeded are deleted after this many hours (looked at hourly)."
    )


class Settings(BaseSettings):
    """Everything newsroom can be told; `NEWSROOM_` prefix, one `_` into a group."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSROOM_",
        # NEWSROOM_LLM_BASE_URL -> llm.base_url; one split keeps field names with underscores whole.
        env_nested_delimiter="_",
        env_nested_max_split=1,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Path("./data")
    chroma_url: str | None = None
    embedder: Literal["minilm", "multilingual"] = Field(
        "minilm",
        description="`minilm`: English sentence embeddings. `multilingual`: multilingual-e5-small (4-bit), "
        "so records in Chinese, Japanese, French, German or Spanish are found by an English question. "
        "A store is built with one: opening it with the other is refused.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="postgresql://... : checkpoints, the registry, the job queue and the beat schedule live "
        "in this PostgreSQL database, and `newsroom serve` only fronts while `newsroom worker` runs stories. "
        "Unset: everything stays embedded under the data dir (SQLite, threads in one process).",
    )
    ingest: IngestSettings = IngestSettings()
    store: StoreSettings = StoreSettings()
    llm: LLMSettings = LLMSettings()
    slack: SlackSettings = SlackSettings()
    research: ResearchSettings = ResearchSettings()
    claims: ClaimsSettings = ClaimsSettings()
    web: WebSettings = WebSettings()
    queue: QueueSettings = QueueSettings()
    policy: PolicySettings = PolicySettings()
    audit_max_rounds: int = 2
    beats_file: Path | None = None
    fetch_allow: str = Field(
        "",
        description="Comma-separated hosts or CIDRs that may be fetched although not public "
        "(an intranet feed, the tests' local fakes); everything else must be a public address.",
    )
    briefing_max_records: int = Field(8, description="At most this many new records go into one briefing.")
    log_format: Literal["text", "json"] = Field(
        "text",
        description="`text`: one readable line per event, for a terminal. `json`: one JSON object per line "
        "(time, level, logger, message, story_id, job_id, exception) for a log collector; the image sets it.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @model_validator(mode="before")
    @classmethod
    def _log_case(cls, data: Any) -> Any:
        # NEWSROOM_LOG_FORMAT=JSON and NEWSROOM_LOG_LEVEL=debug mean what they say.
        if isinstance(data, dict):
            data = dict(data)
            for key, fix in (("log_format", str.lower), ("log_level", str.upper)):
                if isinstance(data.get(key), str):
                    data[key] = fix(data[key].strip())
        return data

    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))

    @property
    def database(self) -> str | None:
        """The database URL as text, or None for the embedded default."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "checkpoints.sqlite"

    @property
    def published_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def scheduler_url(self) -> str:
        return f"sqlite:///{(self.data_dir / 'scheduler.sqlite').resolve()}"

    @property
    def beats_path(self) -> Path:
        return self.beats_file or self.data_dir / "beats.toml"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
