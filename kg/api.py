"""The Python API: a graph written by ``kg build`` as networkx, pandas and answers.

``kg.load(path)`` reads nothing yet; each view is made on first use and kept, so a script
that only wants the tables never builds the network. The examples run on the seed graph
(``GRAPH`` is its ``graph.ttl``; ``tests/test_api.py`` runs them):

>>> import kg
>>> g = kg.load(GRAPH)
>>> stances = g.tables["stances"]
>>> print(stances[stances.decision == "d-us-export-close"][["actor", "stance", "first_date"]].to_string(index=False))
         actor  stance first_date
howard-lutnick     for 2025-11-14
jamieson-greer     for 2025-11-14
  jensen-huang against 2025-11-14
john-moolenaar     for 2025-11-14
   marco-rubio     for 2025-11-14
>>> str(stances["first_date"].dtype).startswith("datetime64"), int(stances["first_date"].dt.year.max())
(True, 2025)
>>> g.network.nodes["jensen-huang"]["label"], g.network.nodes["d-us-export-close"]["kind"]
('Jensen Huang', 'decision')
>>> sorted(d for _, d, k in g.network.out_edges("jensen-huang", keys=True) if k == "lobbies")
['donald-trump', 'us-government']
>>> print(g.who_influenced("d-us-export-close")[["side", "actor", "weight", "evidence"]].to_string(index=False))
   side          actor  weight  evidence
    for    marco-rubio     3.1         3
    for jamieson-greer     1.6         2
    for john-moolenaar     0.8         1
    for howard-lutnick     0.5         1
against   jensen-huang     4.5         3
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path


class KnowledgeGraph:
    """One graph file, with its views made on first use: ``rdf`` (rdflib), ``network``
    (networkx, as ``kg report`` analyses it), ``tables`` (the six tables of ``kg export`` as
    pandas DataFrames, dates as datetime64)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no such file")

    def __repr__(self) -> str:
        return f"kg.load({str(self.path)!r})"

    @cached_property
    def rdf(self):
        """The graph as an rdflib Graph (a Dataset's union for TriG and N-Quads)."""
        from kg.rdf.io import load_graph  # local: rdflib's parsers only when the RDF is asked for
        return load_graph(self.path)

    @cached_property
    def network(self):
        """The typed, signed, evidence-weighted networkx MultiDiGraph of :mod:`kg.views.analyze`:
        actors, products and decisions as nodes (``kind``), acts and stances as edges."""
        from kg.views import analyze  # local: networkx and matplotlib take about a second to import
        return analyze.load(self.path)      # through pyoxigraph, as kg report reads it

    @cached_property
    def tables(self) -> dict:
        """articles, entities, mentions, acts, decisions, stances (:mod:`kg.views.tables`)."""
        from kg.views import tables  # local: pandas takes half a second to import
        return tables.frames(self.path)

    def who_influenced(self, decision: str):
        """Who pushed for and against ``decision`` (a key such as ``d-us-export-close``) before it
        was made, as ``kg report`` ranks them, as a DataFrame: side, actor, label, weight (the
        influence weight of docs/REPORT.md), how, evidence (sentences), articles, prevailed."""
        import pandas as pd
        from kg.views import analyze
        if self.network.nodes.get(decision, {}).get("kind") != "decision":
            known = ", ".join(analyze.decisions(self.network)) or "none"
            raise KeyError(f"{decision!r} is not a decision of {self.path} ({known})")
        (found,) = analyze.influence(self.network, decision)
        rows = [{"side": side if side != "contacts" else "unknown", "actor": en["actor"], "label": en["label"],
                 "weight": en.get("weight"), "how": "; ".join(en["how"]), "evidence": en["evidence_count"],
                 "articles": len(en["articles"]), "prevailed": en["prevailed"]}
                for side in ("for", "against", "contacts") for en in found[side]]
        return pd.DataFrame(rows, columns=["side", "actor", "label", "weight", "how", "evidence", "articles",
                                           "prevailed"])


def load(path: str | Path) -> KnowledgeGraph:
    """The graph file at ``path`` (``out/graph.ttl``, or .trig, .nq, .nt, .jsonld)."""
    return KnowledgeGraph(path)
