"""The records extraction hands to the graph stage: acts, decision reports, pushes,
stances, and one article's facts (DocActs). Keys are catalog keys; ``sent`` is the index
of the sentence that states the fact in the article's Analysis."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.nlp import Analysis


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
    same decision across the corpus."""
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
    """Everything extraction found in one article."""
    analysis: Analysis
    acts: list[Act] = field(default_factory=list)
    decisions: list[DecisionReport] = field(default_factory=list)
    stances: list[StanceFact] = field(default_factory=list)

    def argument_keys(self) -> set[str]:
        keys = {a.agent for a in self.acts} | {a.target for a in self.acts}
        keys |= {d.decider for d in self.decisions} | {p for d in self.decisions for p in d.products}
        return keys | {s.actor for s in self.stances}
