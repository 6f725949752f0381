"""Ambiguous catalog forms (商务部: China's ministry or the US department) read by context.

Each occurrence takes the candidate its context points to (:func:`resolve`); where the
context is silent, one reading per article: the one its other occurrences were given,
else the side of the dateline, else the catalog's default (the first candidate).
"""
from __future__ import annotations

import re

from kg.nlp.found import Found
from kg.nlp.rules import NameRules
from kg.records import Mention


def resolve_all(f: Found, pending: list[tuple[int, int]], title_spans: list[tuple[int, int]]) -> None:
    """A mention for each ambiguous span of ``pending``, once every other name is known."""
    r, text, low = f.rules, f.text, f.low
    mentions = f.mentions
    mentions.sort(key=lambda m: (m.start, m.end))
    chosen = [(s, e, resolve(r, text, low, s, e, mentions, title_spans, f.sent_of)) for s, e in pending]
    # one reading per article where the context is silent: the reading the other
    # occurrences of the form were given, else the side of the dateline, else the catalog's
    # default (in Chinese news a bare 商务部 is the Chinese ministry unless the text says otherwise)
    for s, e, key in chosen:
        if key is None:
            form = low[s:e]
            votes: dict[str, int] = {}
            for s2, e2, k2 in chosen:
                if k2 and low[s2:e2] == form:
                    votes[k2] = votes.get(k2, 0) + 1
            candidates = r.ambiguous[form]
            side = dateline_side(r, text)
            if votes:
                key = max(candidates, key=lambda k: (votes.get(k, 0), -candidates.index(k)))
            else:
                key = next((k for k in candidates if side and side_of(r, k) == side), candidates[0])
        ent = r.catalog.entities[key]
        mentions.append(Mention(key, ent.cls, s, e, text[s:e], f.sent_of(s), "ambiguous"))
    mentions.sort(key=lambda m: (m.start, m.end))


def resolve(r: NameRules, text, low, s, e, mentions, title_spans, sent_of) -> str | None:
    """The candidate of an ambiguous form that its context points to, or None.

    In order: a person named right after it (商务部部长王文涛 — through the post title),
    a word for the other side in its own clause (商务部批评美方 is not the US department),
    a candidate named unambiguously before it in the same or the previous sentence, the
    nearest official or body with a side before it in this or the two previous sentences,
    the nearest one after it in the same sentence. Countries and the two governments as a
    whole (美方, 中方) are not evidence: each side's news names the other side as often as
    its own."""
    candidates = r.ambiguous[low[s:e]]
    sides = {side_of(r, k): k for k in reversed(candidates) if side_of(r, k)}
    here = sent_of(s)

    def evidence(m):
        return (m.how != "pronoun" and m.cls in ("Person", "GovernmentBody") and m.key not in candidates
                and m.key not in r.whole_governments and side_of(r, m.key) in sides)
    # 1. the person the form introduces
    pos = e
    titles = {a: b for a, b in title_spans}
    while pos in titles:
        pos = titles[pos]
        if text[pos:pos + 1] in ("兼", "、"):
            pos += 1
    if pos > e:
        after = next((m for m in mentions if m.start == pos and m.cls == "Person"), None)
        if after is not None and side_of(r, after.key) in sides:
            return sides[side_of(r, after.key)]
    # 2. a body that speaks of 美方 in its own clause is not American (中方 likewise)
    clause_end = min([i for i in (text.find(c, e) for c in "，。；！？\n") if i >= 0] or [len(text)])
    for m in mentions:
        if e <= m.start < clause_end and m.surface in r.perspective:
            other = r.perspective[m.surface]
            rest = [k for k in candidates if side_of(r, k) != other]
            if len(rest) == 1:
                return rest[0]
    # 3. a candidate named before it, in the same sentence or the previous one
    before = [m for m in mentions if m.end <= s and here - 2 <= m.sent <= here]
    for m in reversed(before):
        if m.key in candidates and m.sent >= here - 1:
            return m.key
    # 4. the nearest official or body with a side, before it, then after it in its sentence
    for m in reversed(before):
        if evidence(m):
            return sides[side_of(r, m.key)]
    for m in mentions:
        if m.start >= e and m.sent == here and evidence(m):
            return sides[side_of(r, m.key)]
    return None



def side_of(r: NameRules, key: str) -> str | None:
    """The catalog's side of the table for ``key`` (us, cn, other), if it gives one."""
    ent = r.catalog.entities.get(key)
    return ent.side if ent else None


def dateline_side(r: NameRules, text: str) -> str | None:
    """The side of the place in the article's dateline (新华社北京…电, 中央社华盛顿…专电)."""
    for line in text[:400].split("\n"):
        if not re.search(r"(?:电|讯|报道|报导)", line):
            continue
        for place, side in r.place_sides.items():
            if re.search(re.escape(place) + r"\s*(?:\d{1,2}月)?\d{1,2}日", line):
                return side
    return None
