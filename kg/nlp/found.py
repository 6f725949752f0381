"""What the entity rules have found so far in one text: the mentions, the spans they
take (a later rule only claims a free span), the new entities, and the keys minted for them."""
from __future__ import annotations

import bisect
import re

from kg.nlp.chars import lower
from kg.nlp.rules import NameRules
from kg.records import Mention, NewEntity


class Found:
    """One text's mentions as the rules find them, in the order the rules run."""

    def __init__(self, rules: NameRules, text: str, tokens: list[tuple[int, int]],
                 sentences: list[tuple[int, int]]):
        self.rules = rules
        self.text = text
        self.low = lower(text)
        self.tokens = tokens
        self.starts = {s for s, _ in tokens}
        self.ends = {e for _, e in tokens}
        self.sentences = sentences
        self.sent_starts = [s for s, _ in sentences]
        self.mentions: list[Mention] = []
        self.taken: list[tuple[int, int]] = []      # spans no later rule may claim
        self.new: dict[str, NewEntity] = {}

    def sent_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, offset) - 1)

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.taken)

    def add(self, key: str, cls: str, s: int, e: int, how: str) -> None:
        self.mentions.append(Mention(key, cls, s, e, self.text[s:e], self.sent_of(s), how))
        self.taken.append((s, e))

    def add_new(self, name: str, cls: str, s: int, e: int, how: str) -> str:
        """A mention of an entity the catalog lacks; returns the key minted for it."""
        key = new_key(self.rules, name, cls)
        self.new.setdefault(key, NewEntity(key, cls, name, how))
        self.add(key, cls, s, e, how)
        return key


def new_key(r: NameRules, name: str, cls: str) -> str:
    """The key of a name the catalog lacks: its letters (or its pinyin), with the class
    added when that would collide with a catalog key."""
    if all(c.isascii() for c in name):
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    else:
        from pypinyin import lazy_pinyin  # local: pypinyin (0.25 s) only for a name the catalog lacks
        base = "".join(lazy_pinyin(name))
        base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    base = base or "entity"
    key = base if base not in r.known_keys else f"{base}-{cls.lower()}"
    return key
