"""The ``kg facts`` view (contract/FACTS.md), read from the RDF graph with SPARQL.

Everything printed here comes out of the Turtle, so whatever the facts show
is also what a SPARQL user of the graph can see.
"""
from __future__ import annotations

import json

from rdflib import Graph

from kg import knowledge
from kg.rdf.namespaces import sparql_prefixes

PREFIXES = sparql_prefixes("kgo", "schema", "skos", "rdf")

CLASSES = ("Person", "Company", "GovernmentBody", "Country", "Media", "Product")

ENTITY_QUERY = PREFIXES + """
SELECT ?doc ?key ?cls ?label ?surface WHERE {
  ?a a kgo:Article ; kgo:docId ?doc ; schema:mentions ?e .
  ?e kgo:key ?key ; rdf:type ?cls .
  FILTER(?cls IN (kgo:Person, kgo:Company, kgo:GovernmentBody, kgo:Country, kgo:Media, kgo:Product))
  OPTIONAL { ?e skos:prefLabel ?label . FILTER(lcase(lang(?label)) = "zh-hans") }
  OPTIONAL { ?m kgo:mentionOf ?e ; kgo:inArticle ?a ; kgo:surface ?surface ; kgo:method ?how .
             FILTER(?how != "pronoun") }
}
"""


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_facts(g: Graph) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    for doc, key, cls, label, surface in g.query(ENTITY_QUERY):
        k = (str(doc), str(key))
        row = rows.setdefault(k, {"type": "entity", "doc": str(doc), "id": str(key),
                                  "class": _local(cls), "label_zh": str(label) if label else "",
                                  "mentions": set()})
        if surface is not None:
            row["mentions"].add(str(surface))
        if not row["label_zh"] and surface is not None:
            row["label_zh"] = str(surface)
    out = []
    for k in sorted(rows):
        row = rows[k]
        row["mentions"] = sorted(row["mentions"])
        out.append(row)
    return out


RELATION_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?s ?prop ?o ?date ?evidence WHERE {
  ?act a kgo:Act ; kgo:agent/kgo:key ?s ; kgo:target/kgo:key ?o ; kgo:actProperty ?prop ;
       kgo:inArticle/kgo:docId ?doc .
  OPTIONAL { ?act kgo:date ?date }
  OPTIONAL { ?act kgo:evidence/kgo:text ?evidence }
}
"""

DECISION_QUERY = PREFIXES + """
SELECT ?doc ?id ?decider ?scope ?direction ?product ?date ?share WHERE {
  ?r a kgo:DecisionReport ; kgo:reports ?d ; kgo:inArticle/kgo:docId ?doc .
  ?d kgo:key ?id ; kgo:decider/kgo:key ?decider ; kgo:scope ?scope ; kgo:direction ?direction .
  OPTIONAL { ?r kgo:product/kgo:key ?product }
  OPTIONAL { ?r kgo:date ?date }
  OPTIONAL { ?r kgo:revenueShare ?share }
}
"""

STANCE_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?actor ?decision ?stance WHERE {
  ?st a kgo:Stance ; kgo:actor/kgo:key ?actor ; kgo:decision/kgo:key ?decision ; kgo:stance ?stance ;
      kgo:inArticle/kgo:docId ?doc .
}
"""

def _contract_names() -> dict[str, str]:
    """ontology property -> the contract's name for it (ontology/acts.yaml)."""
    return {a.prop: a.name for a in knowledge.acts().values()}


def relation_facts(g: Graph) -> list[dict]:
    best: dict[tuple, dict] = {}
    names = _contract_names()
    for doc, s, prop, o, date, evidence in g.query(RELATION_QUERY):
        p = names.get(_local(prop))
        if p is None:
            continue
        row = {"type": "relation", "doc": str(doc), "s": str(s), "p": p, "o": str(o)}
        if date is not None:
            row["date"] = str(date)
        if evidence is not None:
            row["evidence"] = str(evidence)
        k = (row["doc"], row["s"], p, row["o"])
        # one line per fact and document: the dated one, else the first evidence in order
        if k not in best or (("date" in row, -len(row.get("evidence", ""))) >
                             ("date" in best[k], -len(best[k].get("evidence", "")))):
            best[k] = row
    return [best[k] for k in sorted(best)]


def decision_facts(g: Graph) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    for doc, did, decider, scope, direction, product, date, share in g.query(DECISION_QUERY):
        k = (str(doc), str(did))
        row = rows.setdefault(k, {"type": "decision", "doc": str(doc), "id": str(did),
                                  "decider": str(decider), "scope": str(scope),
                                  "direction": str(direction), "products": set()})
        if product is not None:
            row["products"].add(str(product))
        if date is not None:
            row["date"] = min(row.get("date", str(date)), str(date))
        if share is not None:
            row["conditions"] = {"revenue_share": float(share)}
    for row in rows.values():
        row["products"] = sorted(row["products"])
    return [rows[k] for k in sorted(rows)]


def stance_facts(g: Graph) -> list[dict]:
    return [{"type": "stance", "doc": str(doc), "actor": str(actor), "decision": str(decision),
             "stance": str(stance)}
            for doc, actor, decision, stance in sorted(g.query(STANCE_QUERY))]


def facts(g: Graph) -> list[dict]:
    """All fact lines, grouped by document, entities first."""
    rows = entity_facts(g) + relation_facts(g) + decision_facts(g) + stance_facts(g)
    order = {"entity": 0, "relation": 1, "decision": 2, "stance": 3}
    return sorted(rows, key=lambda r: (r["doc"], order[r["type"]], json.dumps(r, ensure_ascii=False, sort_keys=True)))


def dumps(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
