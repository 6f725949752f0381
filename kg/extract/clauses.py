"""Clauses and the small text helpers the rules share: where a sentence's clauses are,
the first of a list of words in a text, brackets that only gloss a name."""
from __future__ import annotations

from kg.nlp import Mention


def clause_spans(text: str, start: int, end: int, breaks: set[str]) -> list[tuple[int, int]]:
    """A sentence's clauses: cut at the clause breaks, and at a space between Chinese
    characters (headlines use spaces as commas)."""
    spans, cs = [], start
    for i in range(start, end):
        ch = text[i]
        spaced = ch.isspace() and start < i < end - 1 and not text[i - 1].isascii() and not text[i + 1].isascii()
        if ch in breaks or spaced:
            spans.append((cs, i))
            cs = i + 1
    spans.append((cs, end))
    return spans


def first_word(text: str, words: list[tuple[str, str]]) -> tuple[int, str, str] | None:
    """(offset, word, kind) of the earliest of ``words`` in ``text`` (the longest at one offset)."""
    best = None
    for w, kind in words:
        at = text.find(w)
        if at >= 0 and (best is None or at < best[0] or (at == best[0] and len(w) > len(best[1]))):
            best = (at, w, kind)
    return best


def without_glosses(mentions: list[Mention], text: str) -> list[Mention]:
    """卢特尼克（Howard Lutnick）: the name in brackets after a mention of the same entity is a
    gloss, not a second argument (it would break coordination and adjacency)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        prev = out[-1] if out else None
        if prev is not None and prev.key == m.key and text[prev.end:m.start] in ("（", "(", "（又译", "(又译"):
            continue
        out.append(m)
    return out


def occurrences(word: str, text: str):
    """Start offsets of ``word`` in ``text``, left to right, not overlapping."""
    at = text.find(word)
    while at >= 0 and word:
        yield at
        at = text.find(word, at + len(word))
