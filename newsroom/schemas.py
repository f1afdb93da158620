"""Structured outputs the models fill, and the explainer the graph produces."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, create_model


class ResearchPlan(BaseModel):
    """Sub-questions a reporter would search for."""

    sub_questions: list[str] = Field(default_factory=list, max_length=4)


class ExtractedFact(BaseModel):
    """One checkable fact from one record, with the words that support it."""

    subject: str = Field(..., max_length=80, description="What the value is about, e.g. 'DeepSeek investors'")
    value: str = Field(..., max_length=80, description="The value: names, amount, percent, date or count")
    sentence: int = Field(..., ge=1, le=200, description="Number of the record's sentence that states it")


class RecordFacts(BaseModel):
    facts: list[ExtractedFact] = Field(default_factory=list, max_length=4)


class Stakeholder(BaseModel):
    name: str = Field(..., max_length=60)
    wants: str = Field(..., max_length=160)


class Framing(BaseModel):
    """The angles a reader needs."""

    established: list[str] = Field(default_factory=list, max_length=3)
    contested: list[str] = Field(default_factory=list, max_length=3)
    stakeholders: list[Stakeholder] = Field(default_factory=list, max_length=3)
    gaps: list[str] = Field(default_factory=list, max_length=2)


def writer_schema(source_numbers: list[int]) -> type[BaseModel]:
    """The writer's output schema with citations constrained to this story's source numbers.

    Prose fields carry no maxLength: a schema limit makes a constrained decoder stop mid-word. Lengths
    are asked for in the prompt and enforced by code at a sentence boundary (newsroom/claims/finishing.py).
    """
    cite: Any = Literal[tuple(source_numbers)] if source_numbers else int
    cites = (list[cite], Field(..., min_length=1, max_length=4))
    event = create_model(
        "Event",
        date=(str, Field(..., max_length=20)),
        event=(str, Field(...)),
        citations=cites,
    )
    section = create_model(
        "Section",
        heading=(str, Field(...)),
        body=(str, Field(...)),
        citations=cites,
    )
    faq = create_model(
        "Answer",
        question=(str, Field(...)),
        answer=(str, Field(...)),
        citations=cites,
    )
    quote = create_model(
        "TranslatedQuote",
        source=(cite, Field(...)),
        translation=(str, Field(...)),
        original=(str, Field(...)),
    )
    return create_model(
        "ExplainerDraft",
        headline=(str, Field(...)),
        dek=(str, Field(...)),
        story_so_far=(list[event], Field(..., min_length=1, max_length=5)),
        sections=(list[section], Field(..., min_length=1, max_length=2)),
        faq=(list[faq], Field(..., min_length=4, max_length=5)),
        # quotes from sources in other languages, as the writer translated them, with the original words
        translated_quotes=(list[quote], Field(default_factory=list, max_length=4)),
    )


def update_schema(source_numbers: list[int]) -> type[BaseModel]:
    """A living story's next version: the explainer, and a What changed section of 1-6 cited items."""
    cite: Any = Literal[tuple(source_numbers)] if source_numbers else int
    change = create_model(
        "Change", text=(str, Field(...)), citations=(list[cite], Field(..., min_length=1, max_length=4))
    )
    return create_model(
        "UpdatedDraft",
        __base__=writer_schema(source_numbers),
        what_changed=(list[change], Field(..., min_length=1, max_length=6)),
    )


def briefing_schema(source_numbers: list[int]) -> type[BaseModel]:
    """A beat briefing: headline, 1-8 cited items, 0-2 cited "what to watch" lines."""
    cite: Any = Literal[tuple(source_numbers)] if source_numbers else int
    cites = (list[cite], Field(..., min_length=1, max_length=2))
    item = create_model("Item", text=(str, Field(...)), citations=cites)
    watch = create_model("Watch", text=(str, Field(...)), citations=cites)
    return create_model(
        "BriefingDraft",
        headline=(str, Field(...)),
        items=(list[item], Field(..., min_length=1, max_length=8)),
        what_to_watch=(list[watch], Field(default_factory=list, max_length=2)),
    )


Status = Literal["pending_approval", "revising", "published", "rejected"]
Decision = Literal["approve", "reject", "revise"]
