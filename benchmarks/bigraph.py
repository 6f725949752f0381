"""The analysis of :mod:`kg.analyze` on a synthetic graph of a million edges.

:func:`synthetic` makes a seeded random :class:`networkx.MultiDiGraph` in the
shape :func:`kg.analyze.to_networkx` produces (actors, products and decisions;
typed, signed, evidence-weighted edges: ``decides``, stances, acts), with
endpoints drawn from a skewed distribution, as in news where a few actors
are named in most reports. :func:`run` times each analysis on it.

    python -m benchmarks.bigraph [EDGES]
"""
from __future__ import annotations

import json
import sys
import time

import networkx as nx
import numpy as np

from kg.views import analyze

ACT_RELATIONS = [r for r in analyze.ACT_SIGNS if r != "produces"]
GOVERNMENT = ("Person", "GovernmentBody")


def synthetic(edges: int = 1_000_000, seed: int = 0) -> nx.MultiDiGraph:
    """A graph of exactly ``edges`` edges: 1 % ``decides``, 19 % stances, 80 % acts (2 % of them
    ``produces``). Actors: edges/20; decisions: edges/100; products: edges/500."""
    rng = np.random.default_rng(seed)
    n_act, n_dec, n_prod = max(edges // 20, 50), max(edges // 100, 10), max(edges // 500, 5)
    n_art, n_sent = max(edges // 50, 20), max(edges // 10, 100)
    actors = [f"a{i}" for i in range(n_act)]
    classes = rng.choice(analyze.ACTOR_CLASSES, size=n_act, p=[0.45, 0.25, 0.2, 0.05, 0.05])
    bodies = [a for a, c in zip(actors, classes) if c == "GovernmentBody"]
    deciders = [a for a, c in zip(actors, classes) if c in GOVERNMENT][: max(n_act // 100, 5)]
    products = [f"p{i}" for i in range(n_prod)]
    decisions = [f"d-{i}" for i in range(n_dec)]

    G = nx.MultiDiGraph()
    G.graph["articles"] = {f"doc{i}": {"doc": f"doc{i}", "headline": f"headline {i}",
                                       "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "url": "",
                                       "file": f"doc{i}.txt"} for i in range(n_art)}
    for a, c in zip(actors, classes):
        posts = sorted(set(rng.choice(bodies, size=2).tolist())) if c == "Person" and bodies else []
        G.add_node(a, kind="actor", cls=str(c), label=f"Actor {a}", label_zh="", posts=posts)
    for p in products:
        G.add_node(p, kind="product", cls="Product", label=f"Product {p}", label_zh="", posts=[])

    # evidence: sentences of articles, shared by the edges that cite them (as in a real graph)
    sent_doc = rng.integers(0, n_art, size=n_sent)
    sentences = [{"iri": f"s{i}", "doc": f"doc{d}", "sentence": i % 40, "text": f"sentence {i}"}
                 for i, d in enumerate(sent_doc.tolist())]

    def evidence(k: int) -> list[dict]:
        picked = {sentences[j]["iri"]: sentences[j] for j in rng.integers(0, n_sent, size=k).tolist()}
        return sorted(picked.values(), key=lambda e: (e["doc"], e["sentence"], e["iri"]))

    count = 0
    for i, d in enumerate(decisions):
        decider = deciders[i % len(deciders)] if i % 3 else deciders[int(rng.integers(0, 5))]
        ev = evidence(int(rng.integers(1, 4)))
        arts = sorted({e["doc"] for e in ev})
        prods = sorted(set(rng.choice(products, size=int(rng.integers(1, 3))).tolist()))
        G.add_node(d, kind="decision", cls="Decision", iri=f"urn:{d}", decider=decider,
                   scope=str(rng.choice(["export", "sale", "investigation"])),
                   direction=str(rng.choice(["open", "close"])), date=f"2025-{1 + i % 12:02d}",
                   revenue_share=None, num_articles=len(arts), num_mentions=len(ev), products=prods,
                   articles=arts, reports=[{"doc": a, "background": False, "revenue_share": None, "date": None,
                                            "num_mentions": 1, "evidence": [e for e in ev if e["doc"] == a]}
                                           for a in arts],
                   evidence=ev, rdf_label="", label="", label_zh="")
        G.add_edge(decider, d, key="decides", relation="decides", type="decision", sign=1, weight=len(ev),
                   evidence=ev, articles=arts)
        count += 1
    for d in decisions:
        G.nodes[d]["label"] = analyze.decision_label(G, d)

    # skewed endpoints: the actor of rank r is drawn with weight (r + 1) ** -0.7
    weights = (np.arange(n_act) + 1.0) ** -0.7
    weights /= weights.sum()
    n_stance = edges * 19 // 100
    n_act_edges = edges - count - n_stance
    seen: set[tuple[str, str, str]] = set()

    def add(u: str, v: str, rel: str, kind: str) -> bool:
        if u == v or (u, v, rel) in seen:
            return False
        seen.add((u, v, rel))
        ev = evidence(1 + int(rng.poisson(0.6)))
        arts = sorted({e["doc"] for e in ev})
        if kind == "stance":
            G.add_edge(u, v, key=rel, relation=rel, type="stance", sign=1 if rel == "supports" else -1,
                       weight=len(ev), evidence=ev, articles=arts,
                       via=["lobbies"] if rng.random() < 0.05 else [])
        else:
            G.add_edge(u, v, key=rel, relation=rel, type="act", sign=analyze.ACT_SIGNS[rel], weight=len(ev),
                       evidence=ev, articles=arts, confidence=0.9, dates=[])
        return True

    made = 0
    while made < n_stance:
        k = n_stance - made
        us = rng.choice(n_act, size=k, p=weights)
        ds = rng.integers(0, n_dec, size=k)
        sides = rng.random(size=k)
        for u, d, s in zip(us.tolist(), ds.tolist(), sides.tolist()):
            made += add(actors[u], decisions[d], "supports" if s < 0.6 else "opposes", "stance")
    made = 0
    while made < n_act_edges:
        k = n_act_edges - made
        us = rng.choice(n_act, size=k, p=weights)
        vs = rng.choice(n_act, size=k, p=weights)
        rels = rng.integers(0, len(ACT_RELATIONS), size=k)
        prod = rng.random(size=k) < 0.02
        ps = rng.integers(0, n_prod, size=k)
        for u, v, r, is_p, p in zip(us.tolist(), vs.tolist(), rels.tolist(), prod.tolist(), ps.tolist()):
            if is_p:
                made += add(actors[u], products[p], "produces", "act")
            else:
                made += add(actors[u], actors[v], ACT_RELATIONS[r], "act")
    assert G.number_of_edges() == edges, G.number_of_edges()
    return G


def run(edges: int = 1_000_000, seed: int = 0, log=print) -> dict:
    """Time every analysis of :mod:`kg.analyze` on :func:`synthetic` (seconds per measure)."""
    times: dict[str, float] = {}

    def timed(name, fn, *args, **kwargs):
        t = time.perf_counter()
        value = fn(*args, **kwargs)
        times[name] = time.perf_counter() - t
        log(f"  {name:<22} {times[name]:8.1f} s")
        return value

    t0 = time.perf_counter()
    G = synthetic(edges, seed)
    made = time.perf_counter() - t0
    log(f"  synthetic graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges ({made:.1f} s, "
        f"not counted)")
    A = timed("actor graph", analyze.actor_graph, G)
    info = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "actor_nodes": A.number_of_nodes(),
            "actor_edges": A.number_of_edges(), "make_seconds": made}
    timed("degree", analyze.weighted_degree, A)
    timed("pagerank", analyze.pagerank, A)
    timed("betweenness", analyze.betweenness, A)
    timed("hits", analyze.hits, A)
    timed("influence", analyze.influence, G)
    timed("camps (Louvain)", analyze.camps, G, seed=seed)
    timed("timeline", analyze.timeline, G)
    info["betweenness_sources"] = _betweenness_sources(A)
    info["times"] = times
    info["total"] = sum(times.values())
    log(f"  {'total':<22} {info['total']:8.1f} s")
    return info


def _betweenness_sources(A) -> str:
    """How many source nodes analyze.betweenness uses on A: all of them, or a sample."""
    sample = getattr(analyze, "betweenness_sample_size", None)
    if sample is None:
        return f"all {A.number_of_nodes():,} (exact)"
    k = sample(A)
    return f"all {A.number_of_nodes():,} (exact)" if k is None else f"{k:,} sampled of {A.number_of_nodes():,}"


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    print(json.dumps({k: v for k, v in result.items()}, indent=1))
