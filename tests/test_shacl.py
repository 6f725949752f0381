"""SHACL: the shapes of ontology/shapes.ttl pass on the real seed graph and catch
broken ones; `kg validate` reports each violation; `kg build` writes nothing when
its own graph violates the shapes.

Each broken graph is the seed graph with one thing spoiled, the way a bug in a
later change could spoil it; the test checks that the violation names the
right shape and property, not only that something failed.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.rdf import validate
from kg.rdf.namespaces import KGO
from kg.rdf.terms import Minter

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


@pytest.mark.parametrize("engine", validate.ENGINES)
def test_the_seed_graph_conforms(seed_graph, engine):
    report = validate.validate(seed_graph, engine=engine)
    assert report.conforms, report.format(limit=20)
    assert report.violations == [] and report.triples == len(seed_graph) > 5000


def _no_mention_offset(g):
    m = _first(g, KGO.Mention)
    g.remove((m, KGO.startOffset, None))
    return m, "kgs:MentionShape", "kgo:startOffset", "MinCount"


def _offsets_reversed(g):
    s = _first(g, KGO.Sentence)
    start, end = g.value(s, KGO.startOffset), g.value(s, KGO.endOffset)
    g.set((s, KGO.startOffset, end))
    g.set((s, KGO.endOffset, start))
    return s, "kgs:SentenceShape", "kgo:startOffset", "LessThan"


def _decision_direction(g):
    d = _first(g, KGO.Decision)
    g.set((d, KGO.direction, Literal("sideways")))
    return d, "kgs:DecisionShape", "kgo:direction", "In"


def _stance_value(g):
    st = _first(g, KGO.Stance)
    g.set((st, KGO.stance, Literal("maybe")))
    return st, "kgs:StanceShape", "kgo:stance", "In"


def _product_as_agent(g):
    act = sorted(a for a in g.subjects(KGO.actProperty, KGO.lobbies))[0]
    product = _first(g, KGO.Product)
    g.set((act, KGO.agent, product))
    return act, "kgs:LobbyingShape", "kgo:agent", ""


def _confidence_above_one(g):
    act = _first(g, KGO.Act) if (None, RDF.type, KGO.Act) in g else \
        sorted(g.subjects(KGO.actProperty, None))[0]
    g.set((act, KGO.confidence, Literal("1.5", datatype=XSD_DECIMAL)))
    return act, "", "kgo:confidence", "MaxInclusive"


def _act_without_direct_triple(g):
    act = sorted(g.subjects(KGO.actProperty, KGO.lobbies))[0]
    g.remove((g.value(act, KGO.agent), KGO.lobbies, g.value(act, KGO.target)))
    return act, "", "", "SPARQL"


def _untyped_date(g):
    d = sorted(g.subjects(KGO.date, None))[0]
    g.set((d, KGO.date, Literal("last Tuesday")))
    return d, "", "kgo:date", ""


BREAKAGES = [_no_mention_offset, _offsets_reversed, _decision_direction, _stance_value, _product_as_agent,
             _confidence_above_one, _act_without_direct_triple, _untyped_date]


@pytest.mark.parametrize("engine", validate.ENGINES)
@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__.strip("_"))
def test_a_broken_graph_is_caught(seed_graph, breakage, engine):
    g = _copy(seed_graph)
    focus, shape, path, constraint = breakage(g)
    report = validate.validate(g, engine=engine)
    assert not report.conforms
    hits = [v for v in report.violations if v.focus == focus.n3()]
    assert hits, report.format(limit=20)
    if shape:
        assert any(v.shape == shape for v in hits), hits
    if path:
        assert any(v.path == path for v in hits), hits
    if constraint:
        assert any(v.constraint == constraint for v in hits), hits
    with pytest.raises(validate.ValidationError):
        validate.check(g, engine=engine)


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)


def test_kg_validate_prints_violations_and_exits_2(seed_graph, seed_build, tmp_path):
    ok = _kg("validate", str(seed_build / "graph.ttl"))
    assert ok.returncode == 0, ok.stderr
    assert "conforms to" in ok.stdout
    g = _copy(seed_graph)
    focus, *_ = _decision_direction(g)
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    bad = _kg("validate", str(broken))
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert "does not conform" in bad.stdout
    line = next(x for x in bad.stdout.splitlines() if focus.n3() in x)
    assert "kgs:DecisionShape" in line and "kgo:direction" in line and '"sideways"' in line


def test_kg_build_refuses_to_write_a_graph_that_violates_the_shapes(seed_build, tmp_path):
    """A shapes file that the real output cannot meet stands in for a bug that spoils the graph:
    the article whose facts violate it is dropped, named with the violation; with no article
    left the build fails loudly and leaves the previous output as it was."""
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    strict = shapes.replace('sh:in ( "open" "close" )', 'sh:in ( "open" )')
    assert strict != shapes
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    for f in (ROOT / "ontology").iterdir():
        if f.is_file():
            (ontology / f.name).write_bytes(f.read_bytes())
    (ontology / "shapes.ttl").write_text(strict, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    previous = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    (out / "graph.ttl").write_bytes(previous)
    code = ("import sys; from kg import knowledge, cli\n"
            f"knowledge.ontology_dir = lambda: __import__('pathlib').Path({str(ontology)!r})\n"
            "sys.argv = ['kg'] + sys.argv[1:]\n"
            "cli.app()\n")
    proc = subprocess.run([sys.executable, "-c", code, "build", str(RAW / "000_8fbb8892491c9ad9.txt"),
                           "--out", str(out), "--cache", str(tmp_path / "cache")],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert "000_8fbb8892491c9ad9.txt: dropped: a fact kg made violates the shapes (kgs:" in proc.stderr
    assert 'kgo:direction: In value "close"' in proc.stderr     # the value the strict shapes refuse
    assert "no article left to write" in proc.stderr
    assert (out / "graph.ttl").read_bytes() == previous
    assert not (out / "build-report.md").exists()


def _seed_assembly(seed_build):
    """The seed build re-assembled from its per-article cache (what kg build --update does)."""
    import json
    from kg.rdf import assemble
    from kg.records import ReportedDecision
    cache = seed_build / ".kg-cache"
    metas = {m: json.loads(m.read_text(encoding="utf-8")) for m in cache.glob("*.json")}
    reported = {meta["doc_id"]: [ReportedDecision(**{**d, "products": tuple(d["products"])}) for d in meta["decisions"]]
                for meta in metas.values()}
    docs = sorted((meta["doc_id"], m.with_suffix(".nt").read_bytes()) for m, meta in metas.items())
    assert len(docs) == 5
    return docs, lambda d: assemble.assemble([(doc_id, nt, reported[doc_id]) for doc_id, nt in d], Minter())


def test_incremental_check_judges_new_articles_and_the_merged_decisions(seed_build):
    """kg build checks only the new articles (and every merged decision): a broken new
    article is caught, the same article taken from the cache is not checked again,
    and a decision broken by the merge is caught whichever articles are new."""
    from kg.rdf import assemble
    docs, assemble_ = _seed_assembly(seed_build)
    whole = assemble_(docs)
    assert whole.serialize("ttl", Minter()) == (seed_build / "graph.ttl").read_bytes()
    assert assemble.validate_new(whole, {d for d, _ in docs}).conforms
    assert assemble.validate_new(whole, set()).conforms

    # an article whose mentions lost their end offsets
    doc_id, nt = docs[2]
    broken = b"\n".join(x for x in nt.split(b"\n") if b"/mention/" not in x.split(b" ")[0]
                        or b"#endOffset>" not in x)
    spoiled = assemble_(docs[:2] + [(doc_id, broken)] + docs[3:])
    report = assemble.validate_new(spoiled, {doc_id})
    assert not report.conforms
    assert {v.shape for v in report.violations} == {"kgs:MentionShape"}
    assert all(f"/mention/{doc_id}/" in v.focus for v in report.violations)
    assert assemble.validate_new(spoiled, {docs[0][0]}).conforms    # (cached: checked when it was built)

    # a decision the merge got wrong
    whole.decisions = [x.replace(b'"close"', b'"shut"') for x in whole.decisions]
    report = assemble.validate_new(whole, set())
    assert not report.conforms and {v.shape for v in report.violations} == {"kgs:DecisionShape"}


def test_articles_are_validated_where_they_are_made_and_their_decisions_where_merged(seed_build):
    """The worker checks its batch with each decision it points to standing in as a
    kgo:Decision; the build then checks that each such node is a merged decision, and
    checks the articles again against the whole graph when one is not."""
    from kg.rdf import assemble
    docs, assemble_ = _seed_assembly(seed_build)
    prefix = b"<" + str(Minter().node("decision", "")).encode()
    bad, _, _ = assemble.validate_articles(docs, prefix)
    assert bad == {}                                   # the seeds, as their workers see them
    whole = assemble_(docs)
    links = set().union(*(o for o in map(assemble.object_iris, (nt for _, nt in docs))))
    links = {o for o in links if o.startswith(prefix)}
    assert links
    ids = {d for d, _ in docs}
    report = assemble.validate_new(whole, ids, decision_links=links)
    assert report.conforms and report.triples == len(whole.union)

    # an article that supports a decision no article reports: its worker cannot tell, the build can
    doc_id, nt = docs[1]
    ghost = prefix + b"no-such-decision>"
    actor = next(x.split(b" ")[0] for x in nt.split(b"\n") if b"/entity/" in x.split(b" ")[0])
    stray = nt + actor + b" <" + str(KGO.supports).encode() + b"> " + ghost + b" .\n"
    assert assemble.validate_articles([(doc_id, stray)], prefix)[0] == {}
    spoiled = assemble_(docs[:1] + [(doc_id, stray)] + docs[2:])
    report = assemble.validate_new(spoiled, ids, decision_links=links | {ghost})
    assert not report.conforms
    assert any(v.value == ghost.decode() and v.constraint == "Class" for v in report.violations)
