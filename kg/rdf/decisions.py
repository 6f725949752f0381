"""Decisions merged from records: each article's reports of a decision read together
(:func:`reported`), then those of every article merged (:func:`merge`) and written
(:func:`decision_triples`), counted like GDELT (numArticles, numMentions).

The merge reads :class:`~kg.records.ReportedDecision` records, never the graph: a build
keeps them per article (in the cache too), so a full build and an incremental one
merge the same way.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from kg.records import Decision, DecisionReport, ReportedDecision
from kg.rdf.terms import TYPE, K, LABEL, Minter, TripleSink, count_literal, date_literal, text_literal, typed_literal

DECISION_CLASSES = {"export": "ExportDecision", "import": "ImportDecision", "other": "OtherDecision"}


def _most_precise(dates: Iterable[str]) -> str | None:
    """The longest ISO date (a day over a month over a year), the earliest among equals."""
    found = sorted(set(dates), key=lambda v: (-len(v), v))
    return found[0] if found else None


def reported_one(doc_id: str, key: str, items: list[DecisionReport], text: str = "") -> ReportedDecision:
    """One article's reports ``items`` (all with ``key``) read as one account of the decision."""
    stated = [r for r in items if not r.background] or items     # a named decider over an implied one
    shares = [r.share for r in items if r.share is not None]
    return ReportedDecision(key=key, doc_id=doc_id, decider=stated[0].decider, scope=items[0].scope,
                            direction=items[0].direction,
                            products=tuple(sorted({p for r in items for p in r.products})),
                            date=_most_precise(r.date for r in items if r.date),
                            share=max(shares) if shares else None,
                            background=all(r.background for r in items), mentions=len(items), text=text)


def by_key(reports: Iterable[DecisionReport]) -> dict[str, list[DecisionReport]]:
    """An article's decision reports grouped by decision, in key order."""
    groups: dict[str, list[DecisionReport]] = {}
    for r in reports:
        groups.setdefault(r.key, []).append(r)
    return dict(sorted(groups.items()))


def reported(doc_id: str, reports: Iterable[DecisionReport], text: str = "") -> list[ReportedDecision]:
    """Every decision one article reports, one record each, in key order (``text``: the sha256
    of the article's text)."""
    return [reported_one(doc_id, key, items, text) for key, items in by_key(reports).items()]


def merge(accounts: Iterable[ReportedDecision], mint: Minter) -> list[Decision]:
    """The decisions of a build from every article's accounts, in key order.

    The decider is the one most accounts name (the ones stating it, over background
    ones), ties to the first key; scope and direction are those of the first account
    in the order of the report IRIs; the date is the most precise, the share the largest."""
    groups: dict[str, list[ReportedDecision]] = {}
    for a in accounts:
        groups.setdefault(a.key, []).append(a)
    out = []
    for key in sorted(groups):
        rs = sorted(groups[key], key=lambda a: mint.terms.node("report", a.doc_id, a.key))
        stated = [a for a in rs if not a.background] or rs
        deciders = Counter(a.decider for a in stated)
        shares = [a.share for a in rs if a.share is not None]
        out.append(Decision(key=key, decider=sorted(deciders, key=lambda k: (-deciders[k], k))[0],
                            scope=rs[0].scope, direction=rs[0].direction,
                            products=tuple(sorted({p for a in rs for p in a.products})),
                            date=_most_precise(a.date for a in rs if a.date),
                            share=max(shares) if shares else None,
                            articles=tuple(sorted({a.doc_id for a in rs})),
                            mentions=sum(a.mentions for a in rs),
                            texts=len({a.text or a.doc_id for a in rs})))   # the same text twice counts once
    return out


def add_terms(g: TripleSink, mint: Minter, node: str, d: Decision | ReportedDecision) -> None:
    """What a decision and an article's report of it both state: decider, scope,
    direction, products, date, revenue share."""
    terms = mint.terms
    g.add(node, K.decider, terms.entity(d.decider))
    g.add(node, K.scope, text_literal(d.scope))
    g.add(node, K.direction, text_literal(d.direction))
    for p in d.products:
        g.add(node, K.product, terms.entity(p))
    if d.date:
        g.add(node, K.date, date_literal(d.date))
    if d.share is not None:
        g.add(node, K.revenueShare, typed_literal(d.share, "decimal"))


def decision_triples(decisions: Iterable[Decision], mint: Minter) -> TripleSink:
    """The merged decisions' triples."""
    terms = mint.terms
    g = TripleSink()
    for d in decisions:
        node = terms.node("decision", d.key)
        g.add(node, TYPE, K.Decision)
        g.add(node, TYPE, K[DECISION_CLASSES[d.scope]])
        g.add(node, K.key, text_literal(d.key))
        add_terms(g, mint, node, d)
        g.add(node, K.numArticles, count_literal(d.texts or len(d.articles)))
        g.add(node, K.numMentions, count_literal(d.mentions))
        for doc_id in d.articles:
            g.add(node, K.reportedIn, terms.article(doc_id))
        g.add(node, LABEL, text_literal(d.label))
    return g


def report_links(accounts: Iterable[ReportedDecision], mint: Minter) -> TripleSink:
    """Each report's type and its link to its decision (what SHACL needs of the reports
    to check the merged decisions)."""
    terms = mint.terms
    g = TripleSink()
    for a in accounts:
        node = terms.node("report", a.doc_id, a.key)
        g.add(node, TYPE, K.DecisionReport)
        g.add(node, K.reports, terms.node("decision", a.key))
    return g
