"""Stage 5 — analyze: the RDF graph as a networkx graph, and what it says about influence.

Everything is read from the RDF with SPARQL (so it sees exactly what a SPARQL
user of the graph sees) into one :class:`networkx.MultiDiGraph`:

* nodes are actors and products (id: their ``kgo:key``) and decisions (id: the
  decision's ``kgo:key``, ``d-…``), with ``kind`` = actor | product | decision;
* edges are typed (the edge key is the relation) and signed:

  ==============  =====================================  ====
  relation        from → to                              sign
  ==============  =====================================  ====
  supports        actor → decision (a kgo:Stance "for")   +1
  opposes         actor → decision (a Stance "against")   −1
  decides         decider → decision                      +1
  advises, reportsTo, memberOf   actor → actor            +1
  lobbies, meets, produces       actor → actor/product     0
  criticizes, sanctions, restricts, rejects,
  investigates, summons          actor → actor/product    −1
  ==============  =====================================  ====

  Each edge is weighted by its evidence count: the number of distinct
  sentences (kgo:evidence) that state it, across all articles; ``evidence``
  holds those sentences as dicts ``{doc, sentence, text}``.

The analyses are plain functions over that graph, in the networkx style:
:func:`influence` (who pushed each decision which way, and how),
:func:`actor_graph` + :func:`centrality` (degree, PageRank, betweenness, HITS),
:func:`signed_graph` + :func:`camps` (clusters of the signed graph of stances; the older
:func:`cooperation_graph` is kept for notebooks), :func:`timeline`. Words and weights come from
``ontology/report.yaml``; docs/REPORT.md gives the formulas and the literature.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg import knowledge
from kg.rdf.io import load_store
from kg.rdf.namespaces import sparql_prefixes

PREFIXES = sparql_prefixes("kgo", "schema", "skos", "rdfs", "rdf")

ACTOR_CLASSES = ("Person", "Company", "GovernmentBody", "Country", "Media")
ENTITY_CLASSES = ACTOR_CLASSES + ("Product",)

#: sign of each act relation: +1 cooperation, -1 opposition, 0 neither (contact, influence attempt)
ACT_SIGNS = {a.prop: a.sign for a in knowledge.acts().values()}
#: acts (contract names of acts.yaml) through which an actor pushes a decision by working on its decider
PATH_ACTS = ("lobbies", "advises")
#: their relations (the acts' properties: an act acts.yaml lacks fails here)
PATH_RELATIONS = tuple(knowledge.acts()[name].prop for name in PATH_ACTS)
#: stance ``via`` values (the act's contract name) that already name such a path -> its relation
PATH_VIAS = {name: knowledge.acts()[name].prop for name in PATH_ACTS}

ENTITY_QUERY = PREFIXES + """
SELECT ?key ?cls ?en ?zh ?label WHERE {
  ?e kgo:key ?key ; rdf:type ?cls .
  FILTER(?cls IN (kgo:Person, kgo:Company, kgo:GovernmentBody, kgo:Country, kgo:Media, kgo:Product))
  OPTIONAL { ?e skos:prefLabel ?en . FILTER(lang(?en) = "en") }
  OPTIONAL { ?e skos:prefLabel ?zh . FILTER(lcase(lang(?zh)) = "zh-hans") }
  OPTIONAL { ?e rdfs:label ?label }
}
"""

POST_QUERY = PREFIXES + """
SELECT ?key ?org ?title WHERE {
  ?e kgo:key ?key ; kgo:holdsPost ?p . ?p kgo:postIn/kgo:key ?org .
  OPTIONAL { ?p kgo:postTitle ?title }
}
"""

ARTICLE_QUERY = PREFIXES + """
SELECT ?doc ?headline ?date ?url ?file WHERE {
  ?a a kgo:Article ; kgo:docId ?doc .
  OPTIONAL { ?a schema:headline ?headline }
  OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a kgo:sourceFile ?file }
}
"""

ACT_QUERY = PREFIXES + """
SELECT ?act ?agent ?prop ?target ?doc ?sent ?idx ?text ?conf ?date WHERE {
  ?act a kgo:Act ; kgo:agent/kgo:key ?agent ; kgo:target/kgo:key ?target ; kgo:actProperty ?prop .
  OPTIONAL { ?act kgo:inArticle/kgo:docId ?doc }
  OPTIONAL { ?act kgo:evidence ?sent .
             OPTIONAL { ?sent kgo:text ?text } OPTIONAL { ?sent kgo:sentenceIndex ?idx } }
  OPTIONAL { ?act kgo:confidence ?conf }
  OPTIONAL { ?act kgo:date ?date }
}
"""

DIRECT_ACT_QUERY = PREFIXES + """
SELECT ?agent ?prop ?target WHERE {
  ?s ?prop ?o . ?s kgo:key ?agent . ?o kgo:key ?target .
  FILTER(?prop IN (%s))
}
""" % ", ".join(f"kgo:{a.prop}" for a in knowledge.acts().values())

DECISION_QUERY = PREFIXES + """
SELECT ?d ?key ?decider ?scope ?direction ?date ?share ?na ?nm ?label WHERE {
  ?d a kgo:Decision .
  OPTIONAL { ?d kgo:key ?key }
  OPTIONAL { ?d kgo:decider/kgo:key ?decider }
  OPTIONAL { ?d kgo:scope ?scope }
  OPTIONAL { ?d kgo:direction ?direction }
  OPTIONAL { ?d kgo:date ?date }
  OPTIONAL { ?d kgo:revenueShare ?share }
  OPTIONAL { ?d kgo:numArticles ?na }
  OPTIONAL { ?d kgo:numMentions ?nm }
  OPTIONAL { ?d rdfs:label ?label }
}
"""

DECISION_LINKS_QUERY = PREFIXES + """
SELECT ?d ?product ?doc WHERE {
  ?d a kgo:Decision .
  { ?d kgo:product/kgo:key ?product } UNION { ?d kgo:reportedIn/kgo:docId ?doc }
}
"""

REPORT_QUERY = PREFIXES + """
SELECT ?r ?d ?doc ?background ?share ?date ?nm ?sent ?idx ?text WHERE {
  ?r a kgo:DecisionReport ; kgo:reports ?d .
  OPTIONAL { ?r kgo:inArticle/kgo:docId ?doc }
  OPTIONAL { ?r kgo:background ?background }
  OPTIONAL { ?r kgo:revenueShare ?share }
  OPTIONAL { ?r kgo:date ?date }
  OPTIONAL { ?r kgo:numMentions ?nm }
  OPTIONAL { ?r kgo:evidence ?sent .
             OPTIONAL { ?sent kgo:text ?text } OPTIONAL { ?sent kgo:sentenceIndex ?idx } }
}
"""

STANCE_QUERY = PREFIXES + """
SELECT ?st ?actor ?d ?stance ?via ?doc ?sent ?idx ?text WHERE {
  ?st a kgo:Stance ; kgo:actor/kgo:key ?actor ; kgo:decision ?d ; kgo:stance ?stance .
  OPTIONAL { ?st kgo:via ?via }
  OPTIONAL { ?st kgo:inArticle/kgo:docId ?doc }
  OPTIONAL { ?st kgo:evidence ?sent .
             OPTIONAL { ?sent kgo:text ?text } OPTIONAL { ?sent kgo:sentenceIndex ?idx } }
}
"""

DIRECT_STANCE_QUERY = PREFIXES + """
SELECT ?actor ?d ?prop WHERE {
  ?a ?prop ?d . ?a kgo:key ?actor . FILTER(?prop IN (kgo:supports, kgo:opposes))
}
"""


SENTENCE_QUERY = PREFIXES + """
SELECT ?sent ?doc ?idx ?start ?end ?text WHERE {
  ?sent a kgo:Sentence ; kgo:inArticle/kgo:docId ?doc .
  OPTIONAL { ?sent kgo:sentenceIndex ?idx } OPTIONAL { ?sent kgo:text ?text }
  OPTIONAL { ?sent kgo:startOffset ?start } OPTIONAL { ?sent kgo:endOffset ?end }
}
"""

MENTION_QUERY = PREFIXES + """
SELECT ?sent ?key ?start ?end ?surface WHERE {
  ?m a kgo:Mention ; kgo:inSentence ?sent ; kgo:mentionOf/kgo:key ?key ;
     kgo:startOffset ?start ; kgo:endOffset ?end .
  OPTIONAL { ?m kgo:surface ?surface }
}
"""

#: the trigger words of the acts (with their agent) and decision reports (no agent) a sentence
#: is evidence of; memberships are left out (their triggers are post titles)
TRIGGER_QUERY = PREFIXES + """
SELECT DISTINCT ?sent ?trigger ?agent WHERE {
  ?x kgo:evidence ?sent ; kgo:trigger ?trigger .
  OPTIONAL { ?x kgo:agent/kgo:key ?agent }
  FILTER NOT EXISTS { ?x kgo:actProperty kgo:memberOf }
}
"""

#: when an actor did what a sentence says (the date of an act it is evidence of)
ACT_DATE_QUERY = PREFIXES + """
SELECT DISTINCT ?agent ?sent ?date WHERE {
  ?act a kgo:Act ; kgo:agent/kgo:key ?agent ; kgo:evidence ?sent ; kgo:date ?date .
}
"""


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _str(value) -> str | None:
    return None if value is None else str(value)


def _evidence(sent, idx, text, doc) -> dict | None:
    if sent is None:
        return None
    return {"iri": str(sent), "doc": _str(doc) or "", "sentence": int(idx) if idx is not None else -1,
            "text": _str(text) or ""}


def _sorted_evidence(items) -> list[dict]:
    unique = {e["iri"]: e for e in items if e}
    return sorted(unique.values(), key=lambda e: (e["doc"], e["sentence"], e["iri"]))


def load(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph file written by ``kg build`` (Turtle, TriG, N-Quads, JSON-LD) into networkx."""
    return to_networkx(load_store(Path(path)))


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """The RDF graph as a typed, signed, evidence-weighted :class:`networkx.MultiDiGraph`.

    ``G.graph["articles"]`` maps each document id to its headline, date, url and file.
    """
    G = nx.MultiDiGraph()
    articles: dict[str, dict] = {}
    for doc, headline, date, url, file in g.query(ARTICLE_QUERY):
        articles[str(doc)] = {"doc": str(doc), "headline": _str(headline) or "", "date": _str(date) or "",
                              "url": _str(url) or "", "file": _str(file) or ""}
    G.graph["articles"] = articles

    for key, cls, en, zh, label in g.query(ENTITY_QUERY):
        key, cls = str(key), _local(cls)
        attrs = G.nodes[key] if key in G else {}
        kind = "product" if cls == "Product" else "actor"
        if attrs.get("kind") == "actor" and kind == "product":
            continue  # an entity typed both ways stays an actor
        english = _str(en) or (_str(label) if label is not None and str(label).isascii() else None)
        G.add_node(key, kind=kind, cls=cls, label=english or key,
                   label_zh=_str(zh) or (attrs.get("label_zh") or ""), posts=attrs.get("posts", []))
    for key, org, title in g.query(POST_QUERY):
        key = str(key)
        if key in G:
            G.nodes[key]["posts"] = sorted(set(G.nodes[key]["posts"]) | {str(org)})

    _add_sentences(G, g)
    _add_decisions(G, g)
    _add_acts(G, g)
    _add_stances(G, g)
    return G


def _add_sentences(G: nx.MultiDiGraph, g: Graph) -> None:
    """``G.graph["sentences"]``: every sentence by IRI with its offsets into the original file,
    the mentions in it and the trigger words that fired in it, as (word, agent of the act; ""
    for a decision report) (for evidence shown in context);
    ``G.graph["act_dates"]``: (agent, sentence IRI) -> the date of the act that sentence states."""
    sentences: dict[str, dict] = {}
    for sent, doc, idx, start, end, text in g.query(SENTENCE_QUERY):
        sentences[str(sent)] = {"iri": str(sent), "doc": str(doc), "sentence": int(idx) if idx is not None else -1,
                                "start": int(start) if start is not None else None,
                                "end": int(end) if end is not None else None,
                                "text": _str(text) or "", "mentions": [], "triggers": []}
    for sent, key, start, end, surface in g.query(MENTION_QUERY):
        if str(sent) in sentences:
            sentences[str(sent)]["mentions"].append((int(start), int(end), str(key), _str(surface) or ""))
    for sent, trigger, agent in g.query(TRIGGER_QUERY):
        if str(sent) in sentences:
            sentences[str(sent)]["triggers"].append((str(trigger), _str(agent) or ""))
    for s in sentences.values():
        s["mentions"].sort()
        s["triggers"].sort()
    G.graph["sentences"] = sentences
    G.graph["act_dates"] = {(str(agent), str(sent)): str(date) for agent, sent, date in
                            sorted(g.query(ACT_DATE_QUERY), key=lambda row: tuple(map(str, row)))}


def _ensure_node(G: nx.MultiDiGraph, key: str, kind: str = "actor") -> None:
    if key not in G:
        G.add_node(key, kind=kind, cls="", label=key, label_zh="", posts=[])


def _add_decisions(G: nx.MultiDiGraph, g: Graph) -> None:
    products: dict[str, set] = defaultdict(set)
    reported: dict[str, set] = defaultdict(set)
    for d, product, doc in g.query(DECISION_LINKS_QUERY):
        if product is not None:
            products[str(d)].add(str(product))
        if doc is not None:
            reported[str(d)].add(str(doc))
    reports: dict[str, dict[str, dict]] = defaultdict(dict)
    for r, d, doc, background, share, date, nm, sent, idx, text in g.query(REPORT_QUERY):
        rep = reports[str(d)].setdefault(str(r), {
            "doc": _str(doc) or "", "background": _str(background) == "true",
            "revenue_share": float(share) if share is not None else None,
            "date": _str(date), "num_mentions": int(nm) if nm is not None else 0, "evidence": []})
        ev = _evidence(sent, idx, text, doc)
        if ev:
            rep["evidence"].append(ev)
    for d, key, decider, scope, direction, date, share, na, nm, label in g.query(DECISION_QUERY):
        iri = str(d)
        node = str(key) if key is not None else _local(d)
        reps = sorted(reports.get(iri, {}).values(), key=lambda r: r["doc"])
        for rep in reps:
            rep["evidence"] = _sorted_evidence(rep["evidence"])
        evidence = _sorted_evidence(e for rep in reps for e in rep["evidence"])
        G.add_node(node, kind="decision", cls="Decision", iri=iri, decider=_str(decider) or "",
                   scope=_str(scope) or "", direction=_str(direction) or "", date=_str(date),
                   revenue_share=float(share) if share is not None else None,
                   num_articles=int(na) if na is not None else len(reported.get(iri, ())),
                   num_mentions=int(nm) if nm is not None else 0,
                   products=sorted(products.get(iri, ())), articles=sorted(reported.get(iri, ())),
                   reports=reps, evidence=evidence, rdf_label=_str(label) or "", label="", label_zh="")
        if decider is not None:
            _ensure_node(G, str(decider))
            G.add_edge(str(decider), node, key="decides", relation="decides", type="decision", sign=1,
                       weight=max(len(evidence), 1), evidence=evidence,
                       articles=sorted(reported.get(iri, ())))
    for node, data in G.nodes(data=True):
        if data.get("kind") == "decision":
            data["label"] = decision_label(G, node)


def report_words() -> dict:
    """The words and weights of ontology/report.yaml (phrases, short names, influence weights, outlets)."""
    return knowledge.default().derived("report.yaml", lambda k: k.yaml("report.yaml"))


def short_name(G: nx.MultiDiGraph, key: str) -> str:
    """A name for running text: report.yaml's short name, a person's last name, else the label."""
    short = report_words().get("short_names", {})
    if key in short:
        return short[key]
    if key not in G:
        return key or "?"
    label = G.nodes[key]["label"]
    if G.nodes[key].get("cls") == "Person" and label.isascii() and " " in label.strip():
        return label.split()[-1]
    return label


def entity_side(key: str) -> str:
    """us | cn | other: the catalog's side of the table (other for entities it lacks)."""
    entity = knowledge.catalog().entities.get(key)
    return (entity.side if entity is not None else None) or "other"


def product_names(G: nx.MultiDiGraph, products: list[str]) -> str:
    """Product names joined with "/", without the maker's name the label starts with (H20/H200)."""
    names = []
    for p in products:
        label = G.nodes[p]["label"] if p in G else p
        entity = knowledge.catalog().entities.get(p)
        maker_key = entity.produced_by if entity is not None else None
        maker = (G.nodes[maker_key]["label"] if maker_key in G else "") if maker_key else ""
        names.append(label[len(maker):].strip() if maker and label.startswith(maker + " ") else label)
    return "/".join(names)


def decision_label(G: nx.MultiDiGraph, d: str) -> str:
    """The decision said in one line, from decider, direction, products, conditions and date:
    ``Trump allows H200 exports to China, 25 % of sales to the US (2025-12-08)``."""
    data = G.nodes[d]
    words = report_words()
    scope = data.get("scope") if data.get("scope") in words["decision_phrases"] else "other"
    phrases = words["decision_phrases"][scope]
    direction = data.get("direction") if data.get("direction") in ("open", "close") else "close"
    products = product_names(G, data.get("products", [])) or phrases["no_products"]
    side = entity_side(data.get("decider") or "")
    text = f"{short_name(G, data.get('decider') or '')} " + phrases[direction].format(
        products=products, to=words["export_destination"][side])
    if data.get("revenue_share") is not None:
        to = words["share_goes_to"][side]
        text += ", " + words["revenue_share"].format(share=f"{data['revenue_share'] * 100:g}", to=to)
    if data.get("date"):
        return f"{text} ({data['date']})"
    published = sorted(a["date"] for doc in data.get("articles", [])
                       if (a := G.graph.get("articles", {}).get(doc)) and a["date"])
    return f"{text} ({words['first_reported'].format(date=published[0]) if published else words['undated']})"


def _add_acts(G: nx.MultiDiGraph, g: Graph) -> None:
    acts: dict[tuple, dict] = {}
    for act, agent, prop, target, doc, sent, idx, text, conf, date in g.query(ACT_QUERY):
        rel = _local(prop)
        k = (str(agent), str(target), rel)
        row = acts.setdefault(k, {"evidence": [], "articles": set(), "confidence": 0.0, "dates": set(),
                                  "acts": set()})
        row["acts"].add(str(act))
        ev = _evidence(sent, idx, text, doc)
        if ev:
            row["evidence"].append(ev)
        if doc is not None:
            row["articles"].add(str(doc))
        if conf is not None:
            row["confidence"] = max(row["confidence"], float(conf))
        if date is not None:
            row["dates"].add(str(date))
    for agent, prop, target in g.query(DIRECT_ACT_QUERY):
        # a direct triple with no kgo:Act behind it (a graph from elsewhere): one unit of weight
        acts.setdefault((str(agent), str(target), _local(prop)),
                        {"evidence": [], "articles": set(), "confidence": 0.0, "dates": set(), "acts": set()})
    for (agent, target, rel), row in sorted(acts.items()):
        evidence = _sorted_evidence(row["evidence"])
        for key in (agent, target):
            _ensure_node(G, key)
        G.add_edge(agent, target, key=rel, relation=rel, type="act", sign=ACT_SIGNS.get(rel, 0),
                   weight=max(len(evidence), 1), evidence=evidence, articles=sorted(row["articles"]),
                   confidence=row["confidence"], dates=sorted(row["dates"]))


def _add_stances(G: nx.MultiDiGraph, g: Graph) -> None:
    iri_to_node = {data["iri"]: n for n, data in G.nodes(data=True) if data.get("kind") == "decision"}
    stances: dict[tuple, dict] = {}
    for st, actor, d, stance, via, doc, sent, idx, text in g.query(STANCE_QUERY):
        rel = "supports" if str(stance) == "for" else "opposes"
        node = iri_to_node.get(str(d), _local(d))
        row = stances.setdefault((str(actor), node, rel), {"evidence": [], "articles": set(), "via": set()})
        if via is not None:
            row["via"].add(str(via))
        if doc is not None:
            row["articles"].add(str(doc))
        ev = _evidence(sent, idx, text, doc)
        if ev:
            row["evidence"].append(ev)
    for actor, d, prop in g.query(DIRECT_STANCE_QUERY):
        node = iri_to_node.get(str(d), _local(d))
        stances.setdefault((str(actor), node, _local(prop)), {"evidence": [], "articles": set(), "via": set()})
    for (actor, node, rel), row in sorted(stances.items()):
        _ensure_node(G, actor)
        if node not in G:
            G.add_node(node, kind="decision", cls="Decision", iri="", decider="", scope="", direction="",
                       date=None, revenue_share=None, num_articles=0, num_mentions=0, products=[],
                       articles=[], reports=[], evidence=[], rdf_label="", label=node, label_zh="")
        evidence = _sorted_evidence(row["evidence"])
        G.add_edge(actor, node, key=rel, relation=rel, type="stance", sign=1 if rel == "supports" else -1,
                   weight=max(len(evidence), 1), evidence=evidence, articles=sorted(row["articles"]),
                   via=sorted(row["via"]))


def decisions(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, k in G.nodes(data="kind") if k == "decision")


def actors(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, k in G.nodes(data="kind") if k == "actor")


# --------------------------------------------------------------------------
# Influence on decisions


def _decider_targets(G: nx.MultiDiGraph, decider: str) -> set[str]:
    """The decider and the bodies the decider holds a post in (lobbying the
    Trump administration is lobbying Trump)."""
    if decider not in G:
        return set()
    return {decider} | set(G.nodes[decider].get("posts", []))


def influence(G: nx.MultiDiGraph, decision: str | None = None) -> list[dict]:
    """For each decision, the actors who pushed for and against it, ranked by evidence.

    An actor pushes a decision through a stance of its own (kgo:Stance) or by
    lobbying or advising the decider (an act whose target is the decider, or a
    body the decider holds a post in, stated in an article that reports the
    decision (not only in passing, kgo:background) or the actor's stance on it).
    An actor who lobbies or advises the
    decider with no stance on the decision is listed under ``contacts``: the
    graph does not say which way they pushed.

    A stance "for" pushes towards the decision as it was made, so the "for"
    side prevailed and the "against" side did not.

    Returns one dict per decision (timeline order): its attributes, ``for``,
    ``against`` and ``contacts`` (lists of entries, ranked by evidence count,
    then number of articles, then label). An entry has ``actor``, ``label``,
    ``side``, ``how`` (list of readable paths), ``paths`` (dicts with ``kind``
    = stance | lobbies | advises, ``via``, ``through``, ``evidence``),
    ``evidence`` (distinct sentences before the decision, each with ``timing``,
    ``days_before`` and ``weight``), ``evidence_count``, ``articles``, ``weight`` (see
    :func:`_weigh`), ``reaction_evidence`` (sentences dated after it) and ``prevailed``.
    ``reactions`` lists the entries with sentences after the decision: reactions, not influence.
    """
    out = []
    for d in ([decision] if decision else [t["decision"] for t in timeline(G)]):
        data = G.nodes[d]
        decider = data.get("decider") or ""
        targets = _decider_targets(G, decider)
        # articles that report the decision as news, not only in passing
        in_passing = {r["doc"] for r in data.get("reports", []) if r.get("background")}
        reported = set(data.get("articles", [])) - in_passing
        entries: dict[tuple[str, str | None], dict] = {}

        def entry(actor: str, side: str | None) -> dict:
            return entries.setdefault((actor, side), {
                "actor": actor, "label": G.nodes[actor]["label"], "label_zh": G.nodes[actor].get("label_zh", ""),
                "side": side, "paths": [], "prevailed": None if side is None else side == "for"})

        for actor, _, rel, e in G.in_edges(d, keys=True, data=True):
            if e["type"] != "stance" or actor == decider:
                continue
            side = "for" if rel == "supports" else "against"
            en = entry(actor, side)
            for via in e.get("via") or [""]:
                kind = PATH_VIAS.get(via, "stance")
                en["paths"].append({"kind": kind, "via": via, "through": decider if kind != "stance" else "",
                                    "evidence": e["evidence"]})
        stance_articles = defaultdict(set)
        for actor, _, rel, e in G.in_edges(d, keys=True, data=True):
            if e["type"] == "stance":
                stance_articles[actor] |= set(e["articles"])
        for target in sorted(targets):
            for actor, _, rel, e in G.in_edges(target, keys=True, data=True):
                if rel not in PATH_RELATIONS or actor == decider or G.nodes[actor].get("kind") != "actor":
                    continue
                scope = reported | stance_articles.get(actor, set())
                evidence = [ev for ev in e["evidence"] if ev["doc"] in scope]
                if not evidence:
                    continue
                sides = [s for (a, s) in entries if a == actor and s is not None] or [None]
                for side in sides:
                    entry(actor, side)["paths"].append({"kind": rel, "via": rel, "through": target,
                                                        "evidence": evidence})
        rows, reactions = [], []
        for en in entries.values():
            _weigh(G, en, data.get("date"))
            if en["evidence"] or en["side"] is None:
                rows.append(en)
            if en["reaction_evidence"] and en["side"] is not None:
                reactions.append(en)
        rank = lambda en: (-en["weight"], -en["evidence_count"], -len(en["articles"]), en["label"], en["actor"])  # noqa: E731
        out.append({
            "decision": d, "label": data["label"], "decider": decider,
            "decider_label": G.nodes[decider]["label"] if decider in G else decider,
            "scope": data.get("scope"), "direction": data.get("direction"), "date": data.get("date"),
            "revenue_share": data.get("revenue_share"), "products": data.get("products", []),
            "num_articles": data.get("num_articles", 0), "num_mentions": data.get("num_mentions", 0),
            "articles": data.get("articles", []), "reports": data.get("reports", []),
            "for": sorted((r for r in rows if r["side"] == "for"), key=rank),
            "against": sorted((r for r in rows if r["side"] == "against"), key=rank),
            "contacts": sorted((r for r in rows if r["side"] is None), key=rank),
            "reactions": sorted(reactions, key=lambda en: (en["side"] != "for", -len(en["reaction_evidence"]),
                                                           en["label"], en["actor"])),
            "prevailed": "for",
        })
    return out


def date_interval(value: str | None) -> tuple[date, date] | None:
    """The first and last day an xsd:date, gYearMonth or gYear string can mean."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        first = date(year, int(month), int(day))
        return first, first
    if month:
        first = date(year, int(month), 1)
        return first, (date(year + int(month) // 12, int(month) % 12 + 1, 1) - timedelta(days=1))
    return date(year, 1, 1), date(year, 12, 31)


def _timing(G: nx.MultiDiGraph, actor: str, ev: dict, decided: str | None) -> tuple[str, int | None]:
    """When a push stated by ``ev`` came: "before" (with the days before the decision), "after"
    (a reaction) or "undated". The push's date is that of the act the sentence states; failing
    that, an article published before the decision dates it as before."""
    dec = date_interval(decided)
    if dec is None:
        return "undated", None
    pushed = date_interval(G.graph.get("act_dates", {}).get((actor, ev["iri"])))
    if pushed is None:
        published = date_interval(G.graph.get("articles", {}).get(ev["doc"], {}).get("date"))
        if published and published[1] < dec[0]:
            return "before", (dec[0] - published[1]).days
        return "undated", None
    if pushed[0] > dec[1]:
        return "after", None
    return "before", max((dec[0] - pushed[1]).days, 0)


def _weigh(G: nx.MultiDiGraph, en: dict, decided: str | None) -> None:
    """An entry's influence weight (docs/REPORT.md): over the distinct sentences stating the push
    before the decision, act weight × directness × time factor, summed, times 1 + ln(articles).
    Sentences after the decision go to ``reaction_evidence`` and weigh nothing."""
    rules = report_words()["influence"]
    per_sentence: dict[str, float] = {}
    for p in en["paths"]:
        act = rules["act_weights"].get(p["via"] or p["kind"], rules["other_act"])
        direct = rules["direct"] if p["kind"] in PATH_RELATIONS or p["via"] in PATH_VIAS else 1.0
        for ev in p["evidence"]:
            per_sentence[ev["iri"]] = max(per_sentence.get(ev["iri"], 0.0), act * direct)
    evidence, reaction, total = [], [], 0.0
    for ev in _sorted_evidence(ev for p in en["paths"] for ev in p["evidence"]):
        timing, days = _timing(G, en["actor"], ev, decided)
        if timing == "after":
            reaction.append({**ev, "timing": timing, "days_before": None, "weight": 0.0})
            continue
        recency = 1.0 if days is None or days <= rules["full_days"] else \
            max(rules["full_days"] / days, rules["least_time_factor"])
        w = per_sentence[ev["iri"]] * recency
        evidence.append({**ev, "timing": timing, "days_before": days, "weight": w})
        total += w
    articles = sorted({ev["doc"] for ev in evidence})
    en["evidence"], en["reaction_evidence"] = evidence, reaction
    en["evidence_count"], en["articles"] = len(evidence), articles
    en["weight"] = round(total * (1 + math.log(len(articles))), 6) if articles else 0.0
    en["how"] = sorted({_how(G, p) for p in en["paths"]})


def _how(G: nx.MultiDiGraph, path: dict) -> str:
    if path["kind"] == "stance":
        return f"own stance ({path['via']})" if path["via"] else "own stance"
    through = G.nodes[path["through"]]["label"] if path["through"] in G else path["through"]
    return f"{path['kind']} the decider ({through})"


# --------------------------------------------------------------------------
# Centrality on the actor graph


def actor_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The actors and who acts on whom, as a weighted :class:`networkx.DiGraph`.

    An edge u → v sums the evidence of every act of u on v (any relation) and of
    every stance u takes on a decision v decides (pushing a decision is pushing
    its decider). ``relations`` lists what the edge is made of; ``distance`` is
    1/weight, for path-based measures where strong ties are short.
    """
    A = nx.DiGraph()
    for n, data in G.nodes(data=True):
        if data.get("kind") == "actor":
            A.add_node(n, label=data["label"], cls=data.get("cls", ""))
    for u, v, rel, e in G.edges(keys=True, data=True):
        if e["type"] == "act":
            target = v
        elif e["type"] == "stance":
            target = G.nodes[v].get("decider") or None
            rel = f"{rel} {v}"
        else:
            continue
        if target is None or u == target or u not in A or target not in A:
            continue
        if A.has_edge(u, target):
            A[u][target]["weight"] += e["weight"]
            A[u][target]["relations"].append(rel)
        else:
            A.add_edge(u, target, weight=e["weight"], relations=[rel])
    for _, _, e in A.edges(data=True):
        e["distance"] = 1.0 / e["weight"]
    return A


def weighted_degree(A: nx.DiGraph) -> dict[str, float]:
    """Degree centrality weighted by evidence: the evidence count of all edges at a node (in + out)."""
    return {n: float(d) for n, d in A.degree(weight="weight")}


def pagerank(A: nx.DiGraph, alpha: float = 0.85) -> dict[str, float]:
    """PageRank over evidence-weighted edges.

    L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
    bringing order to the web", Stanford InfoLab technical report, 1999.
    """
    if len(A) == 0:
        return {}
    return nx.pagerank(A, alpha=alpha, weight="weight")


#: above this many actors, betweenness is estimated from a sample of source actors: the exact
#: measure costs a shortest-path search from every actor (days on a million edges)
BETWEENNESS_EXACT_MAX = 2000
#: source actors sampled above BETWEENNESS_EXACT_MAX
BETWEENNESS_SAMPLES = 100


def betweenness_sample_size(A: nx.DiGraph) -> int | None:
    """Source actors :func:`betweenness` samples on ``A``; None when it is exact."""
    return None if len(A) <= BETWEENNESS_EXACT_MAX else min(BETWEENNESS_SAMPLES, len(A))


def betweenness(A: nx.DiGraph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    """Betweenness centrality with distance = 1/evidence (well-evidenced ties are short).

    U. Brandes, "A faster algorithm for betweenness centrality", Journal of
    Mathematical Sociology 25(2):163–177, 2001.

    Exact up to :data:`BETWEENNESS_EXACT_MAX` actors; above, estimated from the
    shortest paths of ``k`` (default :data:`BETWEENNESS_SAMPLES`) source actors
    drawn with ``seed`` — U. Brandes, C. Pich, "Centrality estimation in large
    networks", International Journal of Bifurcation and Chaos 17(7):2303–2318, 2007.
    """
    if len(A) == 0:
        return {}
    k = betweenness_sample_size(A) if k is None else (k if k < len(A) else None)
    return nx.betweenness_centrality(A, k=k, weight="distance", normalized=True, seed=seed)


def hits(A: nx.DiGraph) -> tuple[dict[str, float], dict[str, float]]:
    """Hubs and authorities over evidence-weighted edges (normalised to sum 1).

    J. M. Kleinberg, "Authoritative sources in a hyperlinked environment",
    Journal of the ACM 46(5):604–632, 1999.

    Hubs are actors who act on many well-acted-on actors (lobbyists, critics);
    authorities are those acted on by many hubs (deciders). Computed as the
    principal singular vectors of the weighted adjacency matrix.
    """
    import numpy as np  # local: numpy (60 ms) only when HITS runs; networkx alone does not load it
    nodes = list(A)
    if A.number_of_edges() == 0:
        return ({n: 0.0 for n in nodes}, {n: 0.0 for n in nodes})
    if len(nodes) > 2000:  # large graphs: sparse SVD (networkx), same fixed point
        h, a = nx.hits(A, max_iter=1000, nstart={n: 1.0 / len(nodes) for n in nodes})
        return ({n: float(h[n]) for n in nodes}, {n: float(a[n]) for n in nodes})
    M = nx.to_numpy_array(A, nodelist=nodes, weight="weight")
    # authorities: principal eigenvector of MᵀM; hubs = M a (Kleinberg's iteration at its fixed point)
    values, vectors = np.linalg.eigh(M.T @ M)
    a = np.abs(vectors[:, int(np.argmax(values))])
    h = M @ a
    a = a / a.sum() if a.sum() else a
    h = h / h.sum() if h.sum() else h
    return ({n: float(x) for n, x in zip(nodes, h)}, {n: float(x) for n, x in zip(nodes, a)})


MEASURES = ("degree", "pagerank", "betweenness", "hubs", "authorities")


def centrality(A: nx.DiGraph) -> dict[str, dict[str, float]]:
    """Every measure in :data:`MEASURES` for every actor of ``A``."""
    hubs_, auth_ = hits(A)
    return {"degree": weighted_degree(A), "pagerank": pagerank(A), "betweenness": betweenness(A),
            "hubs": hubs_, "authorities": auth_}


def top_actors(scores: dict[str, dict[str, float]], n: int = 10) -> dict[str, list[tuple[str, float]]]:
    """The ``n`` highest-scoring actors per measure (ties by key), zero scores left out."""
    return {m: sorted(((k, v) for k, v in s.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))[:n]
            for m, s in scores.items()}


def centrality_table(A: nx.DiGraph, scores: dict[str, dict[str, float]] | None = None) -> list[dict]:
    """One row per actor with every measure, by PageRank."""
    scores = scores or centrality(A)
    rows = [{"actor": n, "label": A.nodes[n].get("label", n), **{m: scores[m].get(n, 0.0) for m in MEASURES}}
            for n in A]
    return sorted(rows, key=lambda r: (-r["pagerank"], r["actor"]))


# --------------------------------------------------------------------------
# Camps


def sides(G: nx.MultiDiGraph) -> dict[str, dict[str, dict[str, int]]]:
    """For each decision, ``{"for": {actor: evidence}, "against": {...}}``; the decider is for its decision."""
    out = {}
    for d in decisions(G):
        s = {"for": {}, "against": {}}
        for u, _, rel, e in G.in_edges(d, keys=True, data=True):
            if e["type"] == "decision":
                s["for"][u] = s["for"].get(u, 0) + e["weight"]
            elif e["type"] == "stance":
                side = "for" if rel == "supports" else "against"
                s[side][u] = s[side].get(u, 0) + e["weight"]
        out[d] = s
    return out


def cooperation_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Actors who push the same way, as a weighted undirected graph.

    Two actors on the same side of a decision are tied with the smaller of
    their two evidence counts (summed over decisions); cooperative acts
    (advises, reportsTo, memberOf) add their evidence. Pairs on opposite sides
    are kept in ``C.graph["conflicts"]`` (weight the same way), not as edges.
    """
    C = nx.Graph()
    conflicts: dict[tuple[str, str], int] = defaultdict(int)

    def tie(u: str, v: str, w: float, why: str) -> None:
        if u == v:
            return
        for n in (u, v):
            if n not in C:
                C.add_node(n, label=G.nodes[n]["label"])
        if C.has_edge(u, v):
            C[u][v]["weight"] += w
            C[u][v]["why"].append(why)
        else:
            C.add_edge(u, v, weight=w, why=[why])

    for d, s in sides(G).items():
        for side in ("for", "against"):
            members = sorted(s[side])
            for i, u in enumerate(members):
                for v in members[i + 1:]:
                    tie(u, v, min(s[side][u], s[side][v]), f"{side} {d}")
        for u in s["for"]:
            for v in s["against"]:
                if u != v:
                    conflicts[tuple(sorted((u, v)))] += min(s["for"][u], s["against"][v])
    for u, v, rel, e in G.edges(keys=True, data=True):
        if e["type"] == "act" and e["sign"] > 0 and G.nodes[u].get("kind") == G.nodes[v].get("kind") == "actor":
            tie(u, v, e["weight"], rel)
    C.graph["conflicts"] = dict(conflicts)
    return C


def pushes(G: nx.MultiDiGraph) -> dict[str, dict[str, dict[str, int]]]:
    """:func:`sides` without the deciders: who pushed each decision which way (evidence counts)."""
    out = {}
    for d, s in sides(G).items():
        decider = G.nodes[d].get("decider")
        out[d] = {side: {a: w for a, w in members.items() if a != decider} for side, members in s.items()}
    return out


def signed_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The signed graph of stances: actors tied by the decisions they pushed.

    ``positive`` sums, over the decisions two actors pushed the same way, the smaller of
    their two evidence counts; ``negative`` does the same over decisions they pushed
    opposite ways. A decider is not among the pushers of its own decisions.
    """
    S = nx.Graph()
    for d, s in sorted(pushes(G).items()):
        everyone = sorted(set(s["for"]) | set(s["against"]))
        for n in everyone:
            if n not in S:
                S.add_node(n, label=G.nodes[n]["label"])
        for i, u in enumerate(everyone):
            for v in everyone[i + 1:]:
                for side_u in ("for", "against"):
                    for side_v in ("for", "against"):
                        if u in s[side_u] and v in s[side_v]:
                            sign = "positive" if side_u == side_v else "negative"
                            if not S.has_edge(u, v):
                                S.add_edge(u, v, positive=0, negative=0, why=[])
                            S[u][v][sign] += min(s[side_u][u], s[side_v][v])
                            S[u][v]["why"].append(f"{sign} {d}")
    return S


def camps(G: nx.MultiDiGraph, seed: int = 0) -> list[dict]:
    """Camps: clusters of the signed graph of stances (largest first).

    Agglomerative, as correlation clustering under cannot-link constraints (Bansal, Blum,
    Chawla 2004; Doreian and Mrvar 1996 for signed networks): start from one actor per
    camp and repeatedly join the two camps with the most positive evidence between them
    that have no negative tie at all, until none is left. So actors who pushed the same
    way on the same decisions cluster, two who pushed opposite ways on any decision never
    share a camp, and a decider is in no camp by its own decisions. Deterministic (``seed``
    is kept for callers of the Louvain version and not used).

    Each camp has ``members`` (keys), ``labels``, the decisions its members pushed ``for``
    and ``against``, its ``aims`` (what it wanted, strongest first) and ``name`` (the first aim).
    """
    S = signed_graph(G)
    members: dict[str, list[str]] = {n: [n] for n in S}      # camp id (its first member) -> members
    between: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for u, v, e in S.edges(data=True):
        between[u][v] = between[v][u] = [e["positive"], e["negative"]]
    while True:
        best = None
        for a in sorted(between):
            for b, (pos, neg) in between[a].items():
                if a < b and pos > 0 and neg == 0 and (best is None or (-pos, a, b) < best):
                    best = (-pos, a, b)
        if best is None:
            break
        _, a, b = best
        members[a] = sorted(members[a] + members.pop(b))
        for c, (pos, neg) in between.pop(b).items():
            del between[c][b]
            if c != a:
                row = between[a].setdefault(c, [0, 0])
                row[0], row[1] = row[0] + pos, row[1] + neg
                between[c][a] = row
    p = pushes(G)
    out = []
    for group in members.values():
        pushed = {side: sorted({d for d, sd in p.items() for m in group if m in sd[side]})
                  for side in ("for", "against")}
        aims = camp_aims(G, group, p)
        out.append({"members": group, "labels": [G.nodes[m]["label"] for m in group],
                    "for": pushed["for"], "against": pushed["against"], "aims": aims,
                    "name": aims[0] if aims else ""})
    out.sort(key=lambda c: (-len(c["members"]), c["members"]))
    seen: dict[str, int] = defaultdict(int)
    for c in out:
        seen[c["name"]] += 1
        if seen[c["name"]] > 1:
            c["name"] += f" ({short_name(G, c['members'][0])} and others)" if len(c["members"]) > 1 \
                else f" ({short_name(G, c['members'][0])})"
    return out


def camp_aims(G: nx.MultiDiGraph, group: list[str], p: dict | None = None) -> list[str]:
    """What a group of actors pushed for, in report.yaml's words, strongest first: each push on a
    decision wants its direction (for) or the other one (against), on its scope and products."""
    p = pushes(G) if p is None else p
    words = report_words()
    weight: dict[tuple, float] = defaultdict(float)
    products: dict[tuple, set] = defaultdict(set)
    for d, sd in p.items():
        data = G.nodes[d]
        for side in ("for", "against"):
            for m in group:
                if m not in sd[side]:
                    continue
                wanted = data.get("direction") if side == "for" else \
                    {"open": "close", "close": "open"}.get(data.get("direction") or "", "")
                scope = data.get("scope") if data.get("scope") in words["camp_aims"] else "other"
                key = (scope, wanted or "close", entity_side(data.get("decider") or ""))
                weight[key] += sd[side][m]
                products[key] |= set(data.get("products", []))
    aims = []
    for key in sorted(weight, key=lambda k: (-weight[k], k)):
        scope, wanted, side = key
        phrase = words["camp_aims"][scope]
        names = product_names(G, sorted(products[key])) or phrase["no_products"]
        aims.append("for " + phrase[wanted].format(products=names, to=words["export_destination"][side]))
    return aims


def camp_of(camps_: list[dict]) -> dict[str, int]:
    return {m: i for i, c in enumerate(camps_) for m in c["members"]}


# --------------------------------------------------------------------------
# Timeline


def date_key(value: str | None) -> str:
    """A sortable form of an xsd:date / gYearMonth / gYear string ('' sorts last)."""
    return value or "9999"


def timeline(G: nx.MultiDiGraph) -> list[dict]:
    """Decisions in time order: the date the articles give it, else the date of the
    first article that reports it (``dated`` says which), with article counts."""
    arts = G.graph.get("articles", {})
    rows = []
    for d in decisions(G):
        data = G.nodes[d]
        reported = [arts.get(doc, {"doc": doc, "headline": "", "date": "", "url": "", "file": ""})
                    for doc in data.get("articles", [])]
        published = sorted(a["date"] for a in reported if a["date"])
        when = data.get("date") or (published[0] if published else None)
        rows.append({"decision": d, "label": data["label"], "decider": data.get("decider"),
                     "scope": data.get("scope"), "direction": data.get("direction"),
                     "products": data.get("products", []), "date": data.get("date"), "when": when,
                     "dated": bool(data.get("date")), "first_reported": published[0] if published else None,
                     "num_articles": data.get("num_articles", 0), "num_mentions": data.get("num_mentions", 0),
                     "revenue_share": data.get("revenue_share"), "articles": reported})
    return sorted(rows, key=lambda r: (date_key(r["when"]), r["decision"]))


# --------------------------------------------------------------------------
# Everything at once, and tables


def analyse(G: nx.MultiDiGraph, top: int = 10, seed: int = 0) -> dict:
    """All analyses of ``G``: influence, centrality, camps, timeline."""
    A = actor_graph(G)
    scores = centrality(A)
    return {"graph": G, "actor_graph": A, "influence": influence(G), "centrality": scores,
            "top": top_actors(scores, top), "centrality_table": centrality_table(A, scores),
            "camps": camps(G, seed=seed), "conflicts": cooperation_graph(G).graph["conflicts"],
            "timeline": timeline(G)}


def influence_rows(G: nx.MultiDiGraph) -> list[dict]:
    """:func:`influence` flattened to one row per (decision, actor, side), for a DataFrame."""
    rows = []
    for dec in influence(G):
        for side in ("for", "against", "contacts"):
            for en in dec[side]:
                rows.append({"decision": dec["decision"], "decision_label": dec["label"], "actor": en["actor"],
                             "label": en["label"], "side": en["side"] or "unknown", "how": "; ".join(en["how"]),
                             "evidence": en["evidence_count"], "articles": len(en["articles"]),
                             "prevailed": en["prevailed"]})
    return rows


def sparql_frame(g: Graph, query: str):
    """Run a SPARQL SELECT over ``g`` into a pandas DataFrame (literals as Python values)."""
    import pandas as pd  # local: pandas takes half a second to import; only notebooks ask for frames
    result = g.query(query)
    columns = [str(v) for v in result.vars]
    data = [[None if cell is None else (cell.toPython() if hasattr(cell, "toPython") else str(cell))
             for cell in row] for row in result]
    return pd.DataFrame(data, columns=columns)


def for_export(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes GraphML and GEXF can hold (strings and numbers, with
    the characters XML 1.0 forbids replaced by U+FFFD)."""
    H = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        H.add_node(_xml_safe(n), **_flat(data))
    for u, v, k, data in G.edges(keys=True, data=True):
        flat = _flat(data)
        flat["evidence_count"] = len(data.get("evidence", []))
        H.add_edge(_xml_safe(u), _xml_safe(v), key=_xml_safe(k), **flat)
    return H


# what XML 1.0 does not allow in a document: C0 controls but tab, newline and carriage return;
# U+FFFE, U+FFFF; lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value):
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _flat(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        if k == "evidence":
            out[k] = "\n".join(f"[{e['doc']}#{e['sentence']}] {e['text']}" for e in v)
        elif k == "reports":
            out["report_docs"] = " ".join(r["doc"] for r in v)
        elif isinstance(v, (list, tuple, set)):
            out[k] = " ".join(str(x) for x in v)
        elif isinstance(v, (bool, int, float, str)):
            out[k] = v
        else:
            out[k] = str(v)
    return {k: _xml_safe(v) for k, v in out.items()}
