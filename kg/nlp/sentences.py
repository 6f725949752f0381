"""Sentence boundaries over the tokens: after 。!?… (closing quotes kept) and at line breaks."""
from __future__ import annotations

SENTENCE_END = set("。!?!?…")
CLOSERS = set("”’」』)】》\"'")
MAX_SENTENCE_CHARS = 400   # extraction is superlinear in sentence length; real sentences are far shorter


def sentence_spans(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans over token boundaries: after 。!?… (plus closing quotes) and at line breaks."""
    spans, start, i = [], None, 0
    n = len(tokens)
    while i < n:
        s, e = tokens[i]
        tok = text[s:e]
        if tok.isspace():
            if "\n" in tok and start is not None:
                spans.append((start, s))
                start = None
            i += 1
            continue
        if start is None:
            start = s
        elif e - start > MAX_SENTENCE_CHARS:   # a run with no sentence end: cut it at a token boundary
            spans.append((start, s))
            start = s
        if tok[-1] in SENTENCE_END or tok in SENTENCE_END:
            j = i + 1
            while j < n and (text[tokens[j][0]:tokens[j][1]] in CLOSERS
                             or text[tokens[j][0]:tokens[j][1]] in SENTENCE_END):
                j += 1
            end = tokens[j - 1][1]
            spans.append((start, end))
            start = None
            i = j
            continue
        i += 1
    if start is not None:
        spans.append((start, tokens[-1][1]))
    return [(s, e) for s, e in spans if text[s:e].strip()]

