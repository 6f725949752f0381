"""Decisions merged across articles from their reports, counted like GDELT (numArticles, numMentions)."""
from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import RDF, RDFS, XSD, Graph, Literal

from kg.rdf.namespaces import KGO
from kg.rdf.terms import Minter

DECISION_CLASSES = {"export": "ExportDecision", "import": "ImportDecision", "other": "OtherDecision"}

def add_decisions(g: Graph, mint: Minter, reports: Graph) -> None:
    """Decision nodes merged across articles from their reports, counted like GDELT
    (numArticles, numMentions). Reads the per-article reports back from RDF so
    that it works the same on a full build and on an incremental one."""
    rows = defaultdict(list)
    for r, d in reports.subject_objects(KGO.reports):
        rows[d].append(r)
    for d in sorted(rows):
        rs = sorted(rows[d])
        stated = [r for r in rs if not reports.value(r, KGO.background).toPython()] or rs
        deciders = Counter(reports.value(r, KGO.decider) for r in stated)
        decider = sorted(deciders, key=lambda k: (-deciders[k], str(k)))[0]
        first = rs[0]
        scope = str(reports.value(first, KGO.scope))
        direction = str(reports.value(first, KGO.direction))
        key = str(d).rsplit("/", 1)[-1]
        g.add((d, RDF.type, KGO.Decision))
        g.add((d, RDF.type, KGO[DECISION_CLASSES[scope]]))
        g.add((d, KGO.key, Literal(key)))
        g.add((d, KGO.decider, decider))
        g.add((d, KGO.scope, Literal(scope)))
        g.add((d, KGO.direction, Literal(direction)))
        products = sorted({p for r in rs for p in reports.objects(r, KGO.product)})
        for p in products:
            g.add((d, KGO.product, p))
        dated = sorted({reports.value(r, KGO.date) for r in rs} - {None}, key=lambda v: (-len(str(v)), str(v)))
        if dated:
            g.add((d, KGO.date, dated[0]))
        shares = sorted({reports.value(r, KGO.revenueShare) for r in rs} - {None}, key=float)
        if shares:
            g.add((d, KGO.revenueShare, shares[-1]))
        articles = {reports.value(r, KGO.inArticle) for r in rs}
        mentions = sum(int(reports.value(r, KGO.numMentions) or 1) for r in rs)
        g.add((d, KGO.numArticles, Literal(len(articles), datatype=XSD.nonNegativeInteger)))
        g.add((d, KGO.numMentions, Literal(mentions, datatype=XSD.nonNegativeInteger)))
        for a in sorted(articles):
            g.add((d, KGO.reportedIn, a))
        label = " ".join([str(decider).rsplit("/", 1)[-1], scope, direction] +
                         [str(p).rsplit("/", 1)[-1] for p in products])
        g.add((d, RDFS.label, Literal(label)))
