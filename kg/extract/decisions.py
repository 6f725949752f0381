"""Decisions within one article: reports of one decision share a key, products and dates
missing from one report are taken from the others, conditions are attached."""
from __future__ import annotations

import re

from kg.dates import comparable
from kg.extract.records import DecisionReport
from kg.nlp import Mention


def merge(reports: list[DecisionReport], refs: list[Mention], side) -> list[DecisionReport]:
    """Reports of one decision within the document share a key.

    A report that names no product takes the products of the one report of
    the same side, scope and direction in the document that does, or of the
    nearest such report within three sentences when there are several; else,
    when the article names a single product, that one (for a decision on trade in chips,
    scope export or import). A background report
    left with no product recalls nothing identifiable (从2022年开始…出台规则)
    and is dropped.
    """
    named = sorted({m.key for m in refs if m.cls == "Product"})
    for r in reports:
        if r.products:
            continue
        same = [x for x in reports if x.products and side(x.decider) == side(r.decider)
                and x.scope == r.scope and x.direction == r.direction
                and months_apart(r.date, _date_of(x.products, reports)) <= 1]
        near = [x for x in same if abs(x.sent - r.sent) <= 3]
        if len({x.products for x in same}) == 1:
            r.products = same[0].products
        elif near:
            r.products = min(near, key=lambda x: (x.background, abs(x.sent - r.sent), x.sent)).products
        elif len(named) == 1 and not same and r.scope != "other":
            r.products = (named[0],)            # not China's rare-earth controls in a Blackwell story
    for r in reports:
        if not r.products and not r.date:
            dated = {x.date for x in reports if not x.products and x.date and x.scope == r.scope
                     and x.direction == r.direction and side(x.decider) == side(r.decider)}
            if len({d[:7] for d in dated}) == 1:         # 今年1月 and 1月13日: one month, the finer date
                r.date = max(dated, key=lambda d: (len(d), d))
    kept = [r for r in reports if r.products or not r.background]
    for r in kept:
        r.key = decision_key(r, side)
    _split_by_time(kept)
    return kept


def _split_by_time(reports: list[DecisionReport]) -> None:
    """Two decisions on the same thing at different times (a January rule, an April ban on the
    H20) are two decisions: when one key's reports carry months more than one apart, each
    takes its month in its key, and an undated report goes with the nearest dated one."""
    by_key: dict[str, list[DecisionReport]] = {}
    for r in reports:
        by_key.setdefault(r.key, []).append(r)
    for key, group in by_key.items():
        months = sorted({r.date[:7] for r in group if r.date and len(r.date) >= 7})
        if len(months) < 2 or all(months_apart(a, b) <= 1 for a in months for b in months):
            continue
        dated = [r for r in group if r.date and len(r.date) >= 7]
        for r in group:
            if r in dated:
                r.key = f"{key}-{r.date[:7]}"
            else:
                nearest = min(dated, key=lambda x: (abs(x.sent - r.sent), x.sent))
                r.key = f"{key}-{nearest.date[:7]}"

def _date_of(products: tuple, reports: list) -> str | None:
    dated = [x.date for x in reports if x.products == products and x.date]
    return max(dated, key=len) if dated else None


def conditions(sentences, decisions: list[DecisionReport], lex: dict) -> None:
    """A revenue share (25%…上缴) near an opening decision is its condition."""
    words = lex.get("revenue_share_words") or []
    for idx, sent in enumerate(sentences):
        for m in re.finditer(r"(\d+(?:\.\d+)?)\s*[%%]", sent.text):
            around = sent.text[max(0, m.start() - 20):m.end() + 12]
            if not any(w in around for w in words):
                continue
            share = float(m.group(1)) / 100
            decided = [r for r in decisions if r.direction == "open" and not r.background]
            opens = [r for r in decided if 0 <= idx - r.sent <= 2] or \
                [r for r in decided if 0 < r.sent - idx <= 2]
            if opens:
                target = min(opens, key=lambda r: abs(idx - r.sent))
                for r in decisions:
                    if r.key == target.key and r.share is None:
                        r.share = share
                break


def months_apart(a: str | None, b: str | None) -> int:
    """Months between two dates of month precision or finer; 0 when either is unknown."""
    if not comparable(a, b) or len(a) < 7 or len(b) < 7:
        return 0
    return abs((int(a[:4]) * 12 + int(a[5:7])) - (int(b[:4]) * 12 + int(b[5:7])))


def decision_key(r: DecisionReport, side) -> str:
    """One id for one decision across documents: who (side), scope, direction, products."""
    who = side(r.decider)
    parts = ["d", who, r.scope, r.direction]
    if r.products:
        parts += list(r.products)
    elif r.date:
        parts.append(r.date[:7])
    return "-".join(parts)
