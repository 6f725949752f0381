"""The catalog scan: longest match of the catalog's forms and post titles over a text,
respecting token boundaries (a form of one or two Han characters must be whole tokens)."""
from __future__ import annotations

from typing import Iterator

from kg.nlp.rules import NameRules


def catalog_spans(r: NameRules, text: str, low: str, starts: set[int],
                  ends: set[int]) -> Iterator[tuple[int, int, str | None, bool]]:
    """Longest-match scan; yields (start, end, key-or-'?', is_title).

    ``low`` is ``text`` lower-cased (kg.nlp.chars.lower), ``starts`` and ``ends`` the
    token boundaries. The key is "?" for an ambiguous form and "" for a form that
    names no actor."""
    i, n = 0, len(text)
    while i < n:
        hit = None
        found = r.next_start.search(low, i)
        if found is None:
            return
        i = found.start()
        lengths = r.lengths_from.get(low[i], ())
        if text[i] != low[i] and text[i] in r.lengths_from:
            lengths = sorted(set(lengths) | set(r.lengths_from[text[i]]), reverse=True)
        for length in lengths:
            if length > n - i:
                continue
            piece = low[i:i + length]
            if piece in r.forms or text[i:i + length] in r.titles:
                if _boundary_ok(text, i, i + length, starts, ends):
                    hit = (i, i + length, r.forms.get(piece), piece not in r.forms)
                    break
        if hit and not hit[3]:
            hit = _yield_to_title(r, text, low, hit, starts, ends)
        if hit:
            yield hit
            i = hit[1]
        else:
            i += 1


def _yield_to_title(r: NameRules, text, low, hit, starts, ends):
    """美国商务部长卢特尼克: a post title overlapping the end of a name wins the overlap."""
    s, e = hit[0], hit[1]
    for j in range(s + 1, e):
        for length in range(min(r.maxlen, len(text) - j), e - j, -1):
            if text[j:j + length] in r.titles:
                piece = low[s:j]
                if piece in r.forms and _boundary_ok(text, s, j, starts, ends):
                    return (s, j, r.forms[piece], False)
    return hit


def _boundary_ok(text: str, s: int, e: int, starts: set[int], ends: set[int]) -> bool:
    piece = text[s:e]
    if piece[0].isascii() and piece[0].isalnum() or piece[-1].isascii() and piece[-1].isalnum():
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        if before.isascii() and before.isalnum():
            return False
        if after.isascii() and after.isdigit():
            return False
        if after.isascii() and after.isalpha() and not (text.startswith("AI", e) or text.startswith("GPU", e)):
            return False
        return True
    if len(piece) >= 3:
        return True
    return s in starts and e in ends
