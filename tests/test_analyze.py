"""kg.analyze: RDF → networkx, influence, centrality, camps, timeline.

Small hand-made graphs check the algorithms exactly; the seed build checks
what the issue says the analysis must show.
"""
from __future__ import annotations

import math

import networkx as nx
import pytest
from rdflib import Graph

from kg.views import analyze as an

PREFIXES = """
@prefix kgo: <https://w3id.org/kg-chips/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix e: <https://example.org/entity/> .
@prefix a: <https://example.org/article/> .
@prefix s: <https://example.org/sentence/> .
@prefix x: <https://example.org/x/> .
"""


def _person(key: str, name: str, cls: str = "Person") -> str:
    return f'e:{key} a kgo:{cls} ; kgo:key "{key}" ; skos:prefLabel "{name}"@en ; rdfs:label "{name}" .\n'


def _sentence(doc: str, idx: int, text: str) -> str:
    return (f's:{doc}-{idx} a kgo:Sentence ; kgo:inArticle a:{doc} ; kgo:sentenceIndex {idx} ; '
            f'kgo:text "{text}"@zh-Hans .\n')


# A decider (boss) closes exports; hawk1 (2 sentences, 2 articles) and hawk2 push for it,
# dove pushes against it and also lobbies the boss; broker lobbies the boss in an
# article that reports the decision (no stance: a contact); stranger lobbies the boss
# in an article that does not report it (not counted); aide advises the boss.
TOY = PREFIXES + "".join([
    _person("boss", "Boss"), _person("hawk1", "Hawk One"), _person("hawk2", "Hawk Two"),
    _person("dove", "Dove"), _person("broker", "Broker"), _person("stranger", "Stranger"),
    _person("gov", "The Government", "GovernmentBody"),
    _person("chip", "Chip X", "Product"),
    'e:boss kgo:holdsPost x:post . x:post a kgo:Post ; kgo:postIn e:gov .\n',
    'a:d1 a kgo:Article ; kgo:docId "d1" ; schema:headline "Headline one"@zh-Hans ; '
    'schema:datePublished "2025-11-14"^^xsd:date .\n',
    'a:d2 a kgo:Article ; kgo:docId "d2" ; schema:datePublished "2025-11-20"^^xsd:date .\n',
    'a:d3 a kgo:Article ; kgo:docId "d3" ; schema:datePublished "2025-01-02"^^xsd:date .\n',
    _sentence("d1", 0, "boss closes"), _sentence("d1", 1, "hawk1 for"), _sentence("d1", 2, "hawk2 for"),
    _sentence("d1", 3, "dove against"), _sentence("d1", 4, "dove lobbies boss"),
    _sentence("d1", 5, "broker lobbies gov"), _sentence("d2", 0, "hawk1 again"),
    _sentence("d2", 1, "dove lobbies boss in passing"),
    _sentence("d3", 0, "stranger lobbies boss"), _sentence("d3", 1, "boss opens"),
    # decision 1 (closed), reported in d1 and d2; decision 2 (opened) only in d3, dated
    """
x:dec1 a kgo:Decision , kgo:ExportDecision ; kgo:key "d-close" ; kgo:decider e:boss ; kgo:scope "export" ;
    kgo:direction "close" ; kgo:product e:chip ; kgo:numArticles 2 ; kgo:numMentions 2 ;
    kgo:reportedIn a:d1 , a:d2 .
x:r1 a kgo:DecisionReport ; kgo:reports x:dec1 ; kgo:inArticle a:d1 ; kgo:evidence s:d1-0 ; kgo:background false .
x:r2 a kgo:DecisionReport ; kgo:reports x:dec1 ; kgo:inArticle a:d2 ; kgo:evidence s:d2-0 ; kgo:background true .
x:dec2 a kgo:Decision ; kgo:key "d-open" ; kgo:decider e:boss ; kgo:scope "export" ; kgo:direction "open" ;
    kgo:date "2024-03"^^xsd:gYearMonth ; kgo:revenueShare 0.25 ; kgo:numArticles 1 ; kgo:numMentions 1 ;
    kgo:reportedIn a:d3 .
x:r3 a kgo:DecisionReport ; kgo:reports x:dec2 ; kgo:inArticle a:d3 ; kgo:evidence s:d3-1 ; kgo:revenueShare 0.25 .
x:st1 a kgo:Stance ; kgo:actor e:hawk1 ; kgo:decision x:dec1 ; kgo:stance "for" ; kgo:via "ally" ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-1 .
x:st1b a kgo:Stance ; kgo:actor e:hawk1 ; kgo:decision x:dec1 ; kgo:stance "for" ; kgo:via "ally" ;
    kgo:inArticle a:d2 ; kgo:evidence s:d2-0 .
x:st2 a kgo:Stance ; kgo:actor e:hawk2 ; kgo:decision x:dec1 ; kgo:stance "for" ; kgo:via "opposes" ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-2 .
x:st3 a kgo:Stance ; kgo:actor e:dove ; kgo:decision x:dec1 ; kgo:stance "against" ; kgo:via "lobbies" ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-3 .
e:hawk1 kgo:supports x:dec1 . e:hawk2 kgo:supports x:dec1 . e:dove kgo:opposes x:dec1 .
x:act1 a kgo:Act , kgo:Lobbying ; kgo:agent e:dove ; kgo:target e:boss ; kgo:actProperty kgo:lobbies ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-4 ; kgo:confidence 0.9 .
x:act2 a kgo:Act , kgo:Lobbying ; kgo:agent e:broker ; kgo:target e:gov ; kgo:actProperty kgo:lobbies ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-5 .
x:act3 a kgo:Act , kgo:Lobbying ; kgo:agent e:stranger ; kgo:target e:boss ; kgo:actProperty kgo:lobbies ;
    kgo:inArticle a:d3 ; kgo:evidence s:d3-0 .
x:act4 a kgo:Act , kgo:Criticism ; kgo:agent e:hawk2 ; kgo:target e:dove ; kgo:actProperty kgo:criticizes ;
    kgo:inArticle a:d1 ; kgo:evidence s:d1-2 .
x:act5 a kgo:Act , kgo:Lobbying ; kgo:agent e:dove ; kgo:target e:boss ; kgo:actProperty kgo:lobbies ;
    kgo:inArticle a:d2 ; kgo:evidence s:d2-1 .
e:dove kgo:lobbies e:boss . e:broker kgo:lobbies e:gov . e:stranger kgo:lobbies e:boss . e:hawk2 kgo:criticizes e:dove .
"""])


@pytest.fixture(scope="module")
def toy() -> nx.MultiDiGraph:
    g = Graph()
    g.parse(data=TOY, format="turtle")
    return an.to_networkx(g)


@pytest.fixture(scope="module")
def seed_nx(seed_graph) -> nx.MultiDiGraph:
    return an.to_networkx(seed_graph)


# --------------------------------------------------------------------------
# RDF -> networkx


def test_toy_graph_is_typed_signed_and_weighted(toy):
    assert toy.nodes["boss"]["kind"] == "actor" and toy.nodes["chip"]["kind"] == "product"
    assert toy.nodes["d-close"]["kind"] == "decision"
    assert toy.nodes["boss"]["label"] == "Boss" and toy.nodes["boss"]["posts"] == ["gov"]
    e = toy.get_edge_data("hawk1", "d-close", "supports")
    assert (e["type"], e["sign"], e["weight"]) == ("stance", 1, 2)   # two sentences, two articles
    assert e["articles"] == ["d1", "d2"] and [x["text"] for x in e["evidence"]] == ["hawk1 for", "hawk1 again"]
    e = toy.get_edge_data("dove", "d-close", "opposes")
    assert (e["sign"], e["weight"], e["via"]) == (-1, 1, ["lobbies"])
    assert toy.get_edge_data("hawk2", "dove", "criticizes")["sign"] == -1
    assert toy.get_edge_data("dove", "boss", "lobbies")["sign"] == 0
    assert toy.get_edge_data("boss", "d-close", "decides")["type"] == "decision"
    d = toy.nodes["d-close"]
    assert d["products"] == ["chip"] and d["articles"] == ["d1", "d2"] and d["num_articles"] == 2
    assert d["label"] == "Boss restricts Chip X exports (first reported 2025-11-14)"
    assert toy.nodes["d-open"]["label"] == "Boss allows chip exports, 25 % of sales to the government (2024-03)"
    assert [r["doc"] for r in d["reports"]] == ["d1", "d2"] and d["reports"][1]["background"] is True
    assert toy.nodes["d-open"]["revenue_share"] == 0.25


def test_seed_graph_structure(seed_nx):
    G = seed_nx
    kinds = {k for _, k in G.nodes(data="kind")}
    assert kinds == {"actor", "product", "decision"}
    assert an.decisions(G), "the seed build has no decisions"
    for u, v, k, e in G.edges(keys=True, data=True):
        assert e["sign"] in (-1, 0, 1)
        assert e["weight"] == max(len(e["evidence"]), 1)
        assert len({x["iri"] for x in e["evidence"]}) == len(e["evidence"])
        if e["type"] == "stance":
            assert k in ("supports", "opposes") and G.nodes[v]["kind"] == "decision"
            assert G.nodes[u]["kind"] == "actor" and e["evidence"], (u, v)
            assert all(x["text"] for x in e["evidence"])
        elif e["type"] == "decision":
            assert G.nodes[v]["decider"] == u
        else:
            assert e["type"] == "act" and k in an.ACT_SIGNS
    # every kgo:supports / kgo:opposes triple of the RDF is an edge
    n_direct = len(list(G.edges(keys=True)))
    assert n_direct >= sum(1 for *_, t in G.edges(data="type") if t == "stance")


# --------------------------------------------------------------------------
# Influence


def test_influence_sides_paths_and_ranking(toy):
    dec = an.influence(toy, "d-close")[0]
    assert dec["decider"] == "boss" and dec["prevailed"] == "for"
    assert [e["actor"] for e in dec["for"]] == ["hawk1", "hawk2"]       # hawk1 has more evidence
    assert [e["evidence_count"] for e in dec["for"]] == [2, 1]
    assert all(e["prevailed"] is True for e in dec["for"])
    [dove] = dec["against"]
    assert dove["actor"] == "dove" and dove["prevailed"] is False
    # the stance says "lobbies", and the lobbying act on the decider counts through that path
    assert dove["how"] == ["lobbies the decider (Boss)"]
    # (its lobbying in d2, which recalls the decision only in passing, does not count)
    assert dove["evidence_count"] == 2 and {x["text"] for x in dove["evidence"]} == {"dove against",
                                                                                     "dove lobbies boss"}
    assert dec["for"][1]["how"] == ["own stance (opposes)"]
    # broker lobbied the decider's government in a reporting article, with no stance: a contact;
    # stranger lobbied the decider only in an article about something else: not counted
    assert [(e["actor"], e["side"], e["how"]) for e in dec["contacts"]] == [
        ("broker", None, ["lobbies the decider (The Government)"])]
    assert dec["contacts"][0]["prevailed"] is None


def test_influence_rows_flatten(toy):
    rows = an.influence_rows(toy)
    assert {(r["decision"], r["actor"], r["side"]) for r in rows} == {
        ("d-close", "hawk1", "for"), ("d-close", "hawk2", "for"), ("d-close", "dove", "against"),
        ("d-close", "broker", "unknown"),
        ("d-open", "stranger", "unknown")}   # stranger lobbied the boss in the article about d-open


# --------------------------------------------------------------------------
# Centrality


def test_actor_graph_projects_stances_onto_the_decider(toy):
    A = an.actor_graph(toy)
    assert set(A) == {n for n, k in toy.nodes(data="kind") if k == "actor"}
    assert "chip" not in A and "d-close" not in A
    assert A["hawk1"]["boss"]["weight"] == 2 and A["hawk1"]["boss"]["relations"] == ["supports d-close"]
    assert A["dove"]["boss"]["weight"] == 3  # one stance sentence + two lobbying sentences
    assert A["hawk2"]["dove"]["weight"] == 1
    assert math.isclose(A["hawk1"]["boss"]["distance"], 0.5)


def test_centrality_measures_match_their_definitions(toy):
    A = an.actor_graph(toy)
    c = an.centrality(A)
    assert set(c) == set(an.MEASURES)
    assert c["degree"]["boss"] == sum(w for _, _, w in A.in_edges("boss", data="weight"))
    assert math.isclose(sum(c["pagerank"].values()), 1.0)
    assert max(c["pagerank"], key=c["pagerank"].get) == "boss"
    assert max(c["authorities"], key=c["authorities"].get) == "boss"
    assert c["hubs"]["boss"] == 0.0      # the boss acts on no one
    hubs, auth = nx.hits(A, max_iter=1000)
    for n in A:
        assert c["hubs"][n] == pytest.approx(hubs[n], abs=1e-6)
        assert c["authorities"][n] == pytest.approx(auth[n], abs=1e-6)
    # the only two-step path, hawk2 → dove → boss (distance 1 + 1/2), is longer than hawk2 → boss (1)
    assert set(c["betweenness"].values()) == {0.0}
    top = an.top_actors(c, 2)
    assert top["pagerank"][0][0] == "boss" and len(top["pagerank"]) == 2
    assert all(v > 0 for m in top.values() for _, v in m)


def test_betweenness_uses_inverse_evidence_as_distance():
    A = nx.DiGraph()
    # a→b→c with strong ties (weight 4 each: distance 0.5) beats a→c directly (weight 1: distance 1)
    A.add_edge("a", "b", weight=4, distance=0.25)
    A.add_edge("b", "c", weight=4, distance=0.25)
    A.add_edge("a", "c", weight=1, distance=1.0)
    assert an.betweenness(A)["b"] > 0
    A["a"]["c"]["distance"] = 0.1
    assert an.betweenness(A)["b"] == 0


def test_centrality_of_empty_and_edgeless_graphs():
    assert an.centrality(nx.DiGraph()) == {m: {} for m in an.MEASURES}
    A = nx.DiGraph()
    A.add_nodes_from(["x", "y"])
    c = an.centrality(A)
    assert c["hubs"] == {"x": 0.0, "y": 0.0} and c["degree"] == {"x": 0.0, "y": 0.0}


# --------------------------------------------------------------------------
# Camps and timeline


def test_camps_split_the_sides(toy):
    camps = an.camps(toy)
    camp = an.camp_of(camps)
    assert camp["hawk1"] == camp["hawk2"] and camp["dove"] != camp["hawk1"]
    assert "boss" not in camp                       # a decider pushes none of its own decisions
    S = an.signed_graph(toy)
    assert (S["hawk1"]["hawk2"]["positive"], S["dove"]["hawk1"]["negative"]) == (1, 1)
    assert camps[0]["name"] == "for tightening Chip X exports"
    C = an.cooperation_graph(toy)
    assert C["hawk1"]["hawk2"]["weight"] == 1          # min(2, 1) on d-close
    assert not C.has_edge("dove", "hawk1")
    assert C.graph["conflicts"][("dove", "hawk1")] == 1
    first = next(c for c in camps if "hawk1" in c["members"])
    assert "d-close" in first["for"]


def test_timeline_orders_by_date_or_first_report(toy):
    rows = an.timeline(toy)
    assert [r["decision"] for r in rows] == ["d-open", "d-close"]
    assert rows[0]["dated"] and rows[0]["when"] == "2024-03" and rows[0]["revenue_share"] == 0.25
    assert not rows[1]["dated"] and rows[1]["when"] == "2025-11-14" and rows[1]["num_articles"] == 2
    assert [a["doc"] for a in rows[1]["articles"]] == ["d1", "d2"]
    assert rows[1]["articles"][0]["headline"] == "Headline one"


def test_sparql_frame(toy):
    g = Graph()
    g.parse(data=TOY, format="turtle")
    df = an.sparql_frame(g, an.PREFIXES + "SELECT ?key ?label WHERE { ?e kgo:key ?key ; skos:prefLabel ?label } "
                         "ORDER BY ?key")
    assert list(df.columns) == ["key", "label"] and df.iloc[0].to_dict() == {"key": "boss", "label": "Boss"}


# --------------------------------------------------------------------------
# What the seeds must show


def busan_decision(G) -> dict:
    """Trump's decision not to relax chip exports around the Busan summit: decided by
    donald-trump, export, close, opposed by Jensen Huang; the one with most stances."""
    candidates = []
    for dec in an.influence(G):
        if (dec["decider"], dec["scope"], dec["direction"]) != ("donald-trump", "export", "close"):
            continue
        if "jensen-huang" not in {e["actor"] for e in dec["against"]}:
            continue
        candidates.append(dec)
    assert candidates, "no export-close decision by donald-trump that jensen-huang pushed against"
    return max(candidates, key=lambda d: len(d["for"]) + len(d["against"]))


def h200_decision(G) -> dict:
    decs = [d for d in an.influence(G) if d["decider"] == "donald-trump" and d["direction"] == "open"
            and "h200" in d["products"]]
    assert decs, "no decision by donald-trump that opens exports of the H200"
    return max(decs, key=lambda d: d["num_articles"])


def test_seed_busan_decision_sides(seed_nx):
    dec = busan_decision(seed_nx)
    pushers = {e["actor"]: e for e in dec["for"]}
    for actor in ("marco-rubio", "jamieson-greer", "howard-lutnick"):
        assert actor in pushers, f"{actor} is not on the for side of {dec['decision']}: {sorted(pushers)}"
        e = pushers[actor]
        assert e["evidence_count"] >= 1 and all(x["text"] for x in e["evidence"]) and e["prevailed"] is True
        assert e["how"]
    huang = next(e for e in dec["against"] if e["actor"] == "jensen-huang")
    assert huang["prevailed"] is False and huang["evidence_count"] >= 1
    assert any("lobbies" in h for h in huang["how"]), huang["how"]
    assert any("游说" in x["text"] for x in huang["evidence"])
    assert not {e["actor"] for e in dec["for"]} & {e["actor"] for e in dec["against"]}


def test_seed_h200_approval(seed_nx):
    dec = h200_decision(seed_nx)
    assert dec["revenue_share"] == pytest.approx(0.25)
    assert dec["num_articles"] >= 2 and len(dec["articles"]) == dec["num_articles"]
    assert {doc[:3] for doc in dec["articles"]} >= {"003", "004"}
    assert any("25%" in x["text"] for r in dec["reports"] for x in r["evidence"])


def test_seed_centrality_and_camps(seed_nx):
    A = an.actor_graph(seed_nx)
    c = an.centrality(A)
    top = an.top_actors(c, 5)
    assert "donald-trump" in [k for k, _ in top["authorities"][:3]]
    assert "donald-trump" in [k for k, _ in top["pagerank"][:3]]
    assert "jensen-huang" in [k for k, _ in top["hubs"][:3]]
    camp = an.camp_of(an.camps(seed_nx))
    assert camp["marco-rubio"] == camp["jamieson-greer"] == camp["howard-lutnick"]
    assert camp.get("jensen-huang") != camp["marco-rubio"]


def test_seed_timeline(seed_nx):
    rows = an.timeline(seed_nx)
    assert len(rows) == len(an.decisions(seed_nx))
    keys = [an.date_key(r["when"]) for r in rows]
    assert keys == sorted(keys)
    assert all(r["num_articles"] >= 1 and r["articles"] for r in rows)
