"""The records the stages hand each other, lowest stage first.

ingest makes an :class:`Article`; nlp an :class:`Analysis` of it (its
:class:`Sentence`\ s, :class:`Mention`\ s and the :class:`NewEntity`\ s the catalog
lacks); extract a :class:`DocActs` (its :class:`Act`\ s, :class:`DecisionReport`\ s and
:class:`StanceFact`\ s, through :class:`Push`\ es); the rdf stage turns one article's
decision reports into a :class:`ReportedDecision` and merges those of every article
into :class:`Decision`\ s. Offsets are into ``Article.text``; keys are catalog keys (or
the keys nlp minted for new entities); ``sent`` is a sentence index of the Analysis.

Plain data, no behaviour beyond a look-up: a stage can be tested on records built by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field


# --------------------------------------------------------------------------
# ingest


@dataclass(frozen=True)
class Article:
    """One source document: its original text and the cleaned, Simplified text with, per
    character, the span of the original it came from."""
    doc_id: str
    source: str              # the path it was read from
    original: str            # the decoded original text that offsets point into
    text: str                # title and body, cleaned, Simplified
    starts: list[int]
    ends: list[int]
    title: str = ""
    date: str | None = None          # ISO date (YYYY-MM-DD) the article was published
    date_source: str = ""            # label | byline | metadata | latest-on-page
    encoding: str = "utf-8"
    traditional: bool = False
    url: str | None = None
    line: int | None = None          # JSONL line number
    warnings: list[str] = field(default_factory=list)   # read, but with a problem worth reporting

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of text[start:end]."""
        return self.starts[start], self.ends[end - 1]
