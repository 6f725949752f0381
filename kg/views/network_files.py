"""``network.graphml`` and ``network.gexf``: the analysed network for Gephi and Cytoscape.

Both files carry the same attributes: everything :func:`kg.views.analyze.for_export` keeps
(an edge's type, act, stance or decision, as ``category``: GEXF has an edge ``type`` of its
own), and for every node its ``kind``, ``pagerank`` and ``betweenness`` on the actor graph (0 for
decisions and products), its ``camp`` (the Louvain camp's number, -1 for none), the
``color`` and ``size`` that ``ontology/network.yaml`` gives its kind and PageRank, and
``start``, the first day the articles show it (an edge: its first article's publication
date; a decision: its date, else its first report; an actor or product: its first edge).
The GEXF file is GEXF 1.3 with the viz ``color`` and ``size`` and those starts as Gephi time
intervals (``mode="dynamic"``, ``timeformat="date"``), so the timeline shows the story as
it was reported; its ``lastmodifieddate`` is the last article's date, so the same graph
gives the same bytes.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx

from kg import knowledge
from kg.rdf.io import write_atomic
from kg.views import analyze as an

GEXF_VERSION = "1.3"
_XSI = b"http://www.w3.org/2001/XMLSchema-instance"
# networkx 3 writes GEXF 1.3 with the XSI namespace misspelt (no www.): put right below
_NX_XSI = b"http://w3.org/2001/XMLSchema-instance"


def _day(value: str | None) -> str | None:
    """An xsd:date, gYearMonth or gYear as the first day of its period (Gephi wants days)."""
    if not value or not re.match(r"^\d{4}(-\d{2}){0,2}$", value):
        return None
    return value + "-01" * (2 - value.count("-"))


def _rgb(colour: str) -> dict:
    h = colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16), "a": 1.0}


def styled(G: nx.MultiDiGraph, analysis: dict) -> nx.MultiDiGraph:
    """:func:`analyze.for_export` of ``G`` with the attributes above, from ``analysis`` (what
    :func:`analyze.analyse` returns: its centrality and camps)."""
    style = knowledge.default().yaml("network.yaml")
    colours, size = style["colours"], style["size"]
    pagerank, betweenness = analysis["centrality"]["pagerank"], analysis["centrality"]["betweenness"]
    camp = an.camp_of(analysis["camps"])
    published = {doc: a.get("date") for doc, a in G.graph.get("articles", {}).items()}
    when = {t["decision"]: _day(t["when"]) for t in an.timeline(G)}

    H = an.for_export(G)
    node_start: dict[str, str] = {}
    for (u, v, k, data), (_, _, _, out) in zip(G.edges(keys=True, data=True), H.edges(keys=True, data=True)):
        out["category"] = out.pop("type", "")     # GEXF's own edge "type" is directed or undirected
        days = sorted(d for d in (published.get(doc) for doc in data.get("articles", [])) if d)
        if days:
            out["start"] = days[0]
            for n in (u, v):
                node_start[n] = min(node_start.get(n, days[0]), days[0])
    low, high = min(pagerank.values(), default=0.0), max(pagerank.values(), default=0.0)
    for n, data in zip(G.nodes, H.nodes.values()):
        kind = G.nodes[n].get("kind", "other")
        data["kind"] = kind
        data["pagerank"] = float(pagerank.get(n, 0.0))
        data["betweenness"] = float(betweenness.get(n, 0.0))
        data["camp"] = camp.get(n, -1)
        data["color"] = colours.get(kind, colours["other"])
        if n in pagerank and high > low:
            data["size"] = float(size["min"] + (size["max"] - size["min"]) * (pagerank[n] - low) / (high - low))
        else:
            data["size"] = float(size["max"] if n in pagerank else size["other"])
        start = when.get(n) or node_start.get(n)
        if start:
            data["start"] = start
    last = max((d for d in published.values() if d), default=None)
    if last:
        H.graph["last_article"] = last
    return H


def graphml(H: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(H, buf)
    return buf.getvalue()


def gexf(H: nx.MultiDiGraph) -> bytes:
    """GEXF 1.3 with viz colour and size and the starts as time intervals."""
    V = nx.MultiDiGraph()
    for n, data in H.nodes(data=True):
        V.add_node(n, **data, viz={"color": _rgb(data["color"]), "size": data["size"]})
    for u, v, k, data in H.edges(keys=True, data=True):
        V.add_edge(u, v, key=k, **data)
    buf = io.BytesIO()
    nx.write_gexf(V, buf, version=GEXF_VERSION)
    out = buf.getvalue().replace(_NX_XSI, _XSI)
    out = re.sub(rb'(<graph [^>]*?) name="[^"]*"', rb"\1", out, count=1)          # not in GEXF 1.3
    # GEXF 1.3's schema declares color and size in the gexf namespace itself (viz.rnc: "default
    # namespace = inherit"); Gephi reads them by local name either way
    out = re.sub(rb"<viz:(color|size) ", rb"<\1 ", out).replace(b' xmlns:viz="http://gexf.net/1.3/viz"', b"")
    out = re.sub(rb"<creator>[^<]*</creator>", b"<creator>kg report</creator>", out, count=1)
    last = H.graph.get("last_article")
    stamp = f'lastmodifieddate="{last}"'.encode() if last else b""
    return re.sub(rb'lastmodifieddate="[^"]*"', stamp, out, count=1)


def write(G: nx.MultiDiGraph, analysis: dict, graphml_path: Path, gexf_path: Path) -> None:
    """Write both files (atomically) for the network ``G`` analysed as ``analysis``."""
    H = styled(G, analysis)
    write_atomic(graphml_path, graphml(H))
    write_atomic(gexf_path, gexf(H))
