"""The records the stages hand each other, lowest stage first.

ingest makes an ``Article``; nlp an ``Analysis`` of it (its ``Sentence`` and
``Mention`` records, and a ``NewEntity`` for each name the catalog lacks); extract a
``DocActs`` (its ``Act``, ``DecisionReport`` and ``StanceFact`` records, through
``Push`` records); the rdf stage turns one article's decision reports into
``ReportedDecision`` records and merges those of every article into ``Decision``
records. Offsets are into ``Article.text``; keys are catalog keys (or the keys nlp
minted for new entities); ``sent`` is a sentence index of the Analysis.

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
    url: str | None = None           # where it was published: JSONL url, canonical link, URL: line
    outlet: str | None = None        # who published it: a 来源 line, og:site_name
    line: int | None = None          # JSONL line number
    warnings: list[str] = field(default_factory=list)   # read, but with a problem worth reporting

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of text[start:end]."""
        return self.starts[start], self.ends[end - 1]


# --------------------------------------------------------------------------
# nlp


@dataclass(frozen=True)
class Mention:
    """A name (or what stands for one) at [start, end) of the article's text."""
    key: str
    cls: str
    start: int          # offsets into Article.text
    end: int
    surface: str
    sent: int           # index of the sentence it is in
    how: str            # catalog | nickname | ambiguous | title-name | product-code | company-name | pronoun


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NewEntity:
    """An actor or product the catalog lacks, found by a pattern (``how``)."""
    key: str
    cls: str
    label: str
    how: str


@dataclass(frozen=True)
class Analysis:
    """An Article with its tokens, sentences and mentions: what nlp hands to extraction."""
    article: Article
    tokens: list[tuple[int, int]]
    sentences: list[Sentence]
    mentions: list[Mention]                 # names as written (no pronouns)
    pronouns: list[Mention] = field(default_factory=list)
    new_entities: dict[str, NewEntity] = field(default_factory=dict)

    def sentence_of(self, offset: int) -> int:
        """The index of the sentence that holds ``offset`` (the last one starting at or before it)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


# --------------------------------------------------------------------------
# extract


@dataclass(frozen=True)
class Act:
    """agent <predicate> target, stated in sentence ``sent`` by ``trigger``."""
    predicate: str
    agent: str
    target: str
    sent: int
    trigger: str
    date: str | None
    confidence: float


@dataclass
class DecisionReport:
    """One article's account of a trade decision; ``key`` is shared by every report of the
    same decision across the corpus. Not frozen: kg.extract.decisions completes it
    (products, date, share, key) as it reads the article's reports together."""
    decider: str
    scope: str
    direction: str
    products: tuple[str, ...]
    sent: int
    trigger: str
    date: str | None = None
    share: float | None = None
    background: bool = False
    key: str = ""


@dataclass(frozen=True)
class Push:
    """An actor pushing trade open or closed (against a decider: direction "", giving in:
    "accept"); turned into stances on the article's decisions."""
    actor: str
    direction: str          # open | close
    sent: int
    via: str                # the trigger's act or push kind
    target: str | None      # whom it was aimed at (the decider lobbied or criticised)
    date: str | None = None # when the text dates it
    #: the decision report the words point back at (此举, 这项协议), as (sentence, direction):
    #: the push stands on that decision alone
    about: tuple[int, str] | None = None


@dataclass(frozen=True)
class StanceFact:
    """actor is for or against a decision (by key), with the sentences that show it."""
    actor: str
    decision: str
    stance: str             # for | against
    sent: int               # the first evidence sentence
    via: str
    evidence: tuple[int, ...] = ()     # every sentence that shows the push


@dataclass
class DocActs:
    """Everything extraction found in one article (filled as extraction reads it)."""
    analysis: Analysis
    acts: list[Act] = field(default_factory=list)
    decisions: list[DecisionReport] = field(default_factory=list)
    stances: list[StanceFact] = field(default_factory=list)

    def argument_keys(self) -> set[str]:
        keys = {a.agent for a in self.acts} | {a.target for a in self.acts}
        keys |= {d.decider for d in self.decisions} | {p for d in self.decisions for p in d.products}
        return keys | {s.actor for s in self.stances}


# --------------------------------------------------------------------------
# rdf: decisions across articles


@dataclass(frozen=True)
class ReportedDecision:
    """One article's reports of one decision, read together: what the graph writes as its
    kgo:DecisionReport, and what the merge across articles reads (kept in the build cache)."""
    key: str
    doc_id: str
    decider: str                 # a decider the article names, over one only implied (background)
    scope: str
    direction: str
    products: tuple[str, ...]    # sorted
    date: str | None             # the most precise date its reports give
    share: float | None          # the largest revenue share its reports give
    background: bool             # every report of it is background
    mentions: int                # how many times the article reports it
    text: str = ""               # sha256 of the article's text: the same text under two names counts once


@dataclass(frozen=True)
class Decision:
    """A decision merged across the articles that report it."""
    key: str
    decider: str                 # the most reported among the stated deciders
    scope: str
    direction: str
    products: tuple[str, ...]    # sorted
    date: str | None
    share: float | None
    articles: tuple[str, ...]    # doc ids, sorted
    mentions: int                # reports summed over the articles
    texts: int = 0               # distinct article texts among them (numArticles)

    @property
    def label(self) -> str:
        return " ".join([self.decider, self.scope, self.direction, *self.products])
