"""network.graphml and network.gexf for Gephi and Cytoscape: the same attributes in both
(PageRank, betweenness, camp, kind, colour, size, first date), read back by networkx; the
GEXF valid against the GEXF 1.3 schema, dynamic, with viz colour and size."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import xmlschema

from kg import knowledge
from kg.views import analyze as an
from kg.views import network_files

SCHEMA = Path(__file__).resolve().parent / "gexf-1.3" / "gexf.xsd"
NODE_ATTRIBUTES = {"kind", "pagerank", "betweenness", "camp", "color", "size"}


@pytest.fixture(scope="module")
def files(seed_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("network")
    G = an.to_networkx(seed_graph)
    analysis = an.analyse(G)
    network_files.write(G, analysis, out / "network.graphml", out / "network.gexf")
    return G, analysis, out


def test_gexf_is_valid_gexf_1_3(files):
    _, _, out = files
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(out / "network.gexf"))
    root = ET.parse(out / "network.gexf").getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph = root.find("{http://gexf.net/1.3}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")


def test_graphml_and_gexf_carry_the_same_attributes(files):
    G, analysis, out = files
    graphml, gexf = nx.read_graphml(out / "network.graphml"), nx.read_gexf(out / "network.gexf")
    assert set(graphml) == set(gexf) == set(G)
    assert graphml.number_of_edges() == gexf.number_of_edges() == G.number_of_edges()
    camp = an.camp_of(analysis["camps"])
    for n in G:
        a, b = graphml.nodes[n], gexf.nodes[n]
        assert NODE_ATTRIBUTES <= set(a) and set(a) == set(b), n
        assert {k: a[k] for k in NODE_ATTRIBUTES} == {k: b[k] for k in NODE_ATTRIBUTES}, n
        assert a["kind"] == G.nodes[n]["kind"] and a["camp"] == camp.get(n, -1)
        assert a["pagerank"] == pytest.approx(analysis["centrality"]["pagerank"].get(n, 0.0))
        assert a["betweenness"] == pytest.approx(analysis["centrality"]["betweenness"].get(n, 0.0))
    edge_keys = {frozenset(d) - {"id"} for *_, d in gexf.edges(data=True)}
    assert edge_keys == {frozenset(d) for *_, d in graphml.edges(data=True)}
    assert {d["category"] for *_, d in graphml.edges(data=True)} == {"act", "stance", "decision"}


def test_colour_by_kind_size_by_pagerank_and_time(files):
    G, analysis, out = files
    colours = knowledge.default().yaml("network.yaml")["colours"]
    root = ET.parse(out / "network.gexf").getroot()
    ns = {"g": "http://gexf.net/1.3"}
    sizes = {}
    for node in root.iterfind(".//g:node", ns):
        n = node.get("id")
        colour = node.find("g:color", ns)
        want = colours[G.nodes[n]["kind"]].lstrip("#")
        assert "".join(f"{int(colour.get(c)):02x}" for c in "rgb") == want, n
        sizes[n] = float(node.find("g:size", ns).get("value"))
        if G.nodes[n]["kind"] == "decision":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", node.get("start") or ""), n   # plays on Gephi's timeline
    pagerank = analysis["centrality"]["pagerank"]
    ranked = sorted(pagerank, key=pagerank.get)
    assert sizes[ranked[0]] < sizes[ranked[-1]]
    assert all(sizes[a] <= sizes[b] for a, b in zip(ranked, ranked[1:]))
    dated = [e for e in root.iterfind(".//g:edge", ns) if e.get("start")]
    assert len(dated) == G.number_of_edges()            # every seed edge comes from a dated article


def test_same_network_same_bytes(files, tmp_path):
    G, analysis, out = files
    network_files.write(G, analysis, tmp_path / "n.graphml", tmp_path / "n.gexf")
    assert (tmp_path / "n.graphml").read_bytes() == (out / "network.graphml").read_bytes()
    assert (tmp_path / "n.gexf").read_bytes() == (out / "network.gexf").read_bytes()
