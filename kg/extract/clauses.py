"""Clauses and the small text helpers the rules share: where a sentence's clauses are,
the first of a list of words in a text, brackets that only gloss a name."""
from __future__ import annotations

import bisect

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


class SentenceView:
    """A sentence with its clauses, tokens and entity references."""

    def __init__(self, doc, idx: int):
        """``doc`` is the DocExtractor reading the article (its analysis, references, tokens, lexicon)."""
        a = doc.analysis
        self.doc = doc
        self.idx = idx
        s = a.sentences[idx]
        self.start, self.end, self.text = s.start, s.end, a.article.text[s.start:s.end]
        self.refs = [m for m in doc.refs if s.start <= m.start and m.end <= s.end]
        # the tokens inside the sentence (tokens are sorted and do not overlap)
        self.tokens = a.tokens[bisect.bisect_left(doc.token_starts, s.start):
                               bisect.bisect_right(doc.token_ends, s.end)]
        self.clauses = clause_spans(a.article.text, s.start, s.end, doc.lex["_breaks"])
        self.trigger_starts = [ts for ts, _, _, _ in doc._scan(self)]

    def clause_of(self, offset: int) -> int:
        for i, (a, b) in enumerate(self.clauses):
            if a <= offset < b or (offset == b and i == len(self.clauses) - 1):
                return i
        return len(self.clauses) - 1

    def tokens_between(self, a: int, b: int) -> list[str]:
        t = self.doc.analysis.article.text
        return [t[ts:te] for ts, te in self.tokens if a <= ts and te <= b]
