"""The Turtle (and TriG, N-Quads) kg writes, read by independent parsers.

rdflib (Python), pyoxigraph (Rust), raptor's rapper (C) and, when Java and
Debian's Jena jars are installed, Jena's riot: the same number of triples, and
rdflib, pyoxigraph and rapper the very same triples. `.ci/install-debian.sh`
installs rapper and Jena.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from servers import find_rapper, find_riot, run_parser_count

ROOT = Path(__file__).resolve().parent.parent


def _rapper():
    cmd = find_rapper()
    if cmd is None:
        pytest.fail("rapper not found: run .ci/install-debian.sh (package raptor2-utils)")
    return cmd


def _canonical_rdflib(g) -> set[str]:
    """N-Triples lines, language tags lower-cased (tags are case-insensitive; pyoxigraph lower-cases them)."""
    out = set()
    for s, p, o in g:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add(f"{s.n3()} {p.n3()} {o.n3()}")
    return out


def _canonical_ox(triples) -> set[str]:
    out = set()
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and o.language is None and o.datatype.value.endswith("#string"):
            obj = Literal(o.value).n3()
        elif isinstance(o, ox.Literal) and o.language:
            obj = Literal(o.value, lang=o.language.lower()).n3()
        elif isinstance(o, ox.Literal):
            obj = Literal(o.value, datatype=o.datatype.value).n3()
        else:
            obj = str(o)
        out.add(f"{t.subject} {t.predicate} {obj}")
    return out


def test_turtle_same_triple_count_in_every_parser(seed_build):
    path = seed_build / "graph.ttl"
    g = Graph()
    g.parse(path, format="turtle")
    counts = {"rdflib": len(g)}
    counts["pyoxigraph"] = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    counts["rapper"] = run_parser_count(_rapper(), path)
    riot = find_riot()
    if riot is not None:
        counts["riot"] = run_parser_count(riot, path)
    assert counts["rdflib"] > 5000          # the seeds give about 6 700 triples
    assert len(set(counts.values())) == 1, counts


def test_turtle_same_triples_in_rdflib_pyoxigraph_and_rapper(seed_build):
    """Not just the count: the triples themselves (rapper re-serialises to N-Triples)."""
    path = seed_build / "graph.ttl"
    g = Graph()
    g.parse(path, format="turtle")
    mine = _canonical_rdflib(g)
    assert _canonical_ox(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)) == mine
    proc = subprocess.run(_rapper() + ["-q", "-i", "turtle", "-o", "ntriples", str(path)],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    via_rapper = Graph()
    via_rapper.parse(data=proc.stdout.decode("utf-8"), format="nt")
    assert _canonical_rdflib(via_rapper) == mine


def test_trig_and_nquads_named_graphs_in_every_parser(seed_build, seed_build_trig, tmp_path):
    """The TriG build: the same quads for rdflib, pyoxigraph, rapper (and riot); one graph per
    article plus the merged decisions; their union is exactly graph.ttl."""
    trig = seed_build_trig / "graph.trig"
    ds = Dataset()
    ds.parse(trig, format="trig")
    quads = [q for q in ds.quads((None, None, None, None)) if q[3] is not None
             and getattr(q[3], "identifier", q[3]) != DATASET_DEFAULT_GRAPH_ID]
    counts = {"rdflib": len(quads),
              "pyoxigraph": sum(1 for _ in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))}
    proc = subprocess.run(_rapper() + ["-i", "trig", "-c", str(trig)], capture_output=True, timeout=300)
    m = re.search(rb"returned (\d+) (triples|statements)", proc.stderr)
    assert proc.returncode == 0 and m, proc.stderr.decode("utf-8", "replace")
    counts["rapper"] = int(m.group(1))
    riot = find_riot()
    if riot is not None:
        proc = subprocess.run(riot + ["--count", str(trig)], capture_output=True, timeout=300)
        m = re.search(rb"Quads = (\d[\d,.']*)", proc.stdout + proc.stderr)   # grouped: "7,158"
        assert proc.returncode == 0 and m, (proc.stdout + proc.stderr).decode("utf-8", "replace")
        counts["riot"] = int(re.sub(rb"\D", b"", m.group(1)))
    assert len(set(counts.values())) == 1, counts

    graphs = {str(getattr(q[3], "identifier", q[3])) for q in quads}
    doc_id = URIRef("https://w3id.org/kg-chips/ontology#docId")
    articles = {str(o) for _, p, o, _ in quads if p == doc_id}
    assert len(graphs) == len(articles) + 1
    assert {f"https://w3id.org/kg-chips/id/graph/{d}" for d in articles} | \
        {"https://w3id.org/kg-chips/id/graph/merged/decisions"} == graphs

    union = Graph()
    for s, p, o, _ in quads:
        union.add((s, p, o))
    turtle = Graph()
    turtle.parse(seed_build / "graph.ttl", format="turtle")
    assert _canonical_rdflib(union) == _canonical_rdflib(turtle)

    # N-Quads from the same build: the same quads again
    out = tmp_path / "nq"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "data" / "raw"), "--out", str(out),
                           "--format", "nq", "--update", "--cache", str(seed_build / ".kg-cache")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    nq = Dataset()
    nq.parse(out / "graph.nq", format="nquads")
    nq_quads = {(s, p, o, str(getattr(c, "identifier", c))) for s, p, o, c in nq.quads((None, None, None, None))}
    assert nq_quads == {(s, p, o, str(getattr(c, "identifier", c))) for s, p, o, c in quads}
    assert sum(1 for _ in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)) == len(quads)


def test_dataset_serialisation_is_deterministic(seed_build):
    """The same articles give the same TriG and N-Quads bytes, whatever the hash seed."""
    code = ("import sys; from rdflib import Graph; from kg.rdf import assemble, io; from kg.rdf.terms import Minter\n"
            "g = Graph(); g.parse(sys.argv[1], format='turtle')\n"
            "docs = [('b', Graph()), ('a', Graph())]\n"
            "subjects = sorted(set(g.subjects()))\n"
            "for i, s in enumerate(subjects):\n"
            "    for t in g.triples((s, None, None)): docs[i % 2][1].add(t)\n"
            "built = assemble.assemble([(d, io.serialize(x, 'nt'), []) for d, x in docs], Minter())\n"
            "sys.stdout.buffer.write(built.serialize(sys.argv[2], Minter()))\n")
    for fmt in ("trig", "nq", "ttl"):
        outs = {subprocess.run([sys.executable, "-c", code, str(seed_build / "graph.ttl"), fmt],
                               capture_output=True, env=dict(os.environ, PYTHONHASHSEED=seed),
                               cwd=ROOT, timeout=300, check=True).stdout
                for seed in ("1", "2")}
        assert len(outs) == 1 and len(next(iter(outs))) > 100000, fmt
