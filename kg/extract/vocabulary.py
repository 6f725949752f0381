"""The knowledge extraction reads, made once per Knowledge: the lexicon with its derived
tables, the sides of the catalog, and the readers built from them (coreference, posts,
the pattern of post titles). Every rule module takes its words from here."""
from __future__ import annotations

import re
from functools import cached_property

from kg import knowledge
from kg.knowledge import Knowledge
from kg.extract.coref import Resolver
from kg.extract.posts import PostReader

ACTOR_CLASSES = {"Person", "Company", "GovernmentBody", "Country", "Media"}
DECIDER_CLASSES = {"Person", "GovernmentBody", "Country"}

#: how a push is named (kgo:via) when its trigger word is not an act of its own
PUSH_VIA = {"open": "campaigns", "close": "campaigns", "content": "urges", "oppose": "opposes",
            "support": "supports"}


class Vocabulary:
    """What extraction reads, made from one Knowledge once (kept by that Knowledge: see
    :func:`vocabulary`): the lexicon with its derived tables, the readers built from the
    data files, and the catalog's sides and powers."""

    def __init__(self, kn: Knowledge):
        self.knowledge = kn
        self.catalog = kn.catalog
        self.acts = kn.acts
        self.names = kn.names

    @cached_property
    def lexicon(self) -> dict:
        """ontology/lexicon.yaml, with the look-up tables the rules derive from it."""
        raw = self.knowledge.yaml("lexicon.yaml") or {}
        triggers = raw.get("triggers") or {}
        for word, spec in triggers.items():
            if not isinstance(spec, dict):
                raise knowledge.KnowledgeError(f"lexicon.yaml: trigger {word!r} needs a mapping of fields")
        raw["_trigger_max"] = max((len(w) for w in triggers), default=1)
        raw["_trigger_firsts"] = {w[0] for w in triggers if w}
        raw["_breaks"] = set(raw.get("clause_breaks", ",;:"))
        # longest first, so that 以及 is read before 及
        raw["_coordination"] = sorted(raw.get("coordination") or [], key=len, reverse=True)
        raw["_no_break"] = "[^" + re.escape("".join(sorted(raw["_breaks"] | {"。"}))) + "的]"
        # 此举, 这项扩散规则, 该项出口禁令: a word pointing back at a decision, or a demonstrative
        # before a decision noun
        alternatives = [re.escape(w) for w in sorted(raw.get("decision_references") or [], key=len, reverse=True)]
        if raw.get("demonstratives") and raw.get("decision_nouns"):
            alternatives.append("(?:" + "|".join(map(re.escape, raw["demonstratives"])) + ")" + raw["_no_break"]
                                + "{0,4}?(?:" + "|".join(map(re.escape, raw["decision_nouns"])) + ")")
        raw["_decision_reference"] = re.compile("|".join(alternatives)) if alternatives else None
        return raw

    @cached_property
    def resolver(self) -> Resolver:
        """The article-independent part of coreference, built once from the data files."""
        rules = self.knowledge.names
        forms = {**(rules.get("pronouns") or {}), **(rules.get("references") or {})}
        return Resolver(forms, self.knowledge.catalog.titles, int(rules.get("pronoun_window", 2)),
                        set(self.lexicon.get("object_prepositions") or []), self.knowledge.catalog.entities,
                        self.lexicon["_coordination"], rules.get("speaker_verbs") or [],
                        rules.get("spokesperson_titles") or [], rules.get("capitals") or {},
                        rules.get("capital_place_words") or [], rules.get("capital_stops") or [],
                        self.lexicon.get("decision_nouns") or [])

    @cached_property
    def post_reader(self) -> PostReader:
        """Reads member_of from titles, with the catalog's titles and forms."""
        cat = self.knowledge.catalog
        return PostReader(cat.titles, cat.surface, cat.ambiguous, cat.entities, self.lexicon.get("posts") or {}, self.side)

    @cached_property
    def title_gap(self) -> re.Pattern:
        """Only joiners and post titles between a name and what follows (美国总统特朗普)."""
        titles = self.knowledge.catalog.titles
        joiners = self.lexicon.get("title_joiners") or []
        if not titles:
            return re.compile("(?!x)x")
        posts = self.lexicon.get("posts") or {}
        title = "(?:" + "|".join(map(re.escape, titles)) + ")"
        bracket = r"(?:（[^（）]{1,30}）|\([^()]{1,30}\))?"
        joined = "(?:" + "|".join(map(re.escape, joiners)) + ")*"
        chain = "(?:" + "|".join(map(re.escape, (posts.get("title_chain") or ["兼"]) + ["、"])) + ")"
        nominee = "(?:" + "|".join(map(re.escape, posts.get("nominee_words") or ["人选"])) + ")?"
        # (gloss) [party, 公司 …] title [兼|、 [party …] title]* [nominee]
        return re.compile("^" + bracket + joined + title + "(?:" + chain + joined + title + ")*" + nominee + "$")

    def side(self, key: str) -> str:
        """us | cn | the key itself: which side of the table a body is on (the catalog's ``side``)."""
        ent = self.knowledge.catalog.entities.get(key)
        if ent is not None and ent.side in ("us", "cn"):
            return ent.side
        return key

    def decides(self, key: str) -> bool:
        """The catalog gives the entity powers (``decides``), or it holds a post in a body that has them."""
        cat = self.knowledge.catalog.entities
        ent = cat.get(key)
        if ent is None:
            return False
        return bool(ent.decides) or any(cat.get(p.get("org", "")) is not None and cat[p["org"]].decides
                                        for p in ent.posts)



def vocabulary(kn: Knowledge | None = None) -> Vocabulary:
    """The Vocabulary of ``kn`` (by default kg.knowledge.default()), made once per Knowledge."""
    return (kn or knowledge.default()).derived("extract", Vocabulary)


# Bridges for the rules that are not handed a Vocabulary: the default Knowledge's.


def lexicon() -> dict:
    return vocabulary().lexicon


def resolver() -> Resolver:
    return vocabulary().resolver


def post_reader() -> PostReader:
    return vocabulary().post_reader


def title_gap() -> re.Pattern:
    return vocabulary().title_gap


def side(key: str) -> str:
    """us | cn | the key itself: which side of the table a body is on (the catalog's ``side``)."""
    return vocabulary().side(key)


def decides(key: str) -> bool:
    """The catalog gives the entity powers (``decides``), or it holds a post in a body that has them."""
    return vocabulary().decides(key)
