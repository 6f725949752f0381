"""The graph in real SPARQL servers: Debian's Virtuoso and Oxigraph server, started on loopback.

`kg push` loads the seed graph over the SPARQL 1.1 Graph Store protocol; every
ready query of ontology/queries/ runs over HTTP (SPARQL 1.1 protocol) and must
give the same answers, in the same order, as `kg query` on the local file.
Lexical forms are normalised only where SPARQL says they may differ (language
tag case, canonical numbers, typed-literal vs literal): values are compared.

`kg query --endpoint URL` runs the same ready queries at the servers and must give the rows
`kg query` gives on the file. Needs `.ci/install-debian.sh` (virtuoso-opensource) and the
`oxigraph` of kg's test extra; each server is private
(its own database in a temp dir, free ports) and stopped at the end.
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from typer.testing import CliRunner

from kg.cli import app
from kg.views import query as sparql
from servers import find_oxigraph, find_virtuoso, oxigraph_server, virtuoso_server
from sparql_results import normal_results

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
TURTLE_GRAPH = "https://w3id.org/kg-chips/test/seed"
READY = sparql.ready_queries()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if find_virtuoso() is None:
        pytest.fail("virtuoso-t not found: run .ci/install-debian.sh (package virtuoso-opensource)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as vt:
        yield vt
    assert vt.process.poll() is not None, "the Virtuoso server we started is still running"


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT)


def push(vt, path: Path, *extra: str) -> subprocess.CompletedProcess:
    return kg("push", str(path), "--endpoint", vt.graph_store_url, "--user", vt.auth[0],
              "--password", vt.auth[1], *extra)


def http_select(vt, text: str, graphs: list[str]) -> dict:
    """SPARQL 1.1 protocol: POST the query, the dataset given by default-graph-uri."""
    params = [("query", text)] + [("default-graph-uri", g) for g in graphs]
    req = urllib.request.Request(vt.sparql_url, data=urllib.parse.urlencode(params).encode("utf-8"),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise AssertionError(f"HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:2000]}\n{text}") from None


def count(vt, graphs: list[str], where: str = "?s ?p ?o") -> int:
    doc = http_select(vt, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", graphs)
    return int(doc["results"]["bindings"][0]["n"]["value"])


def local(graph_file: Path, name: str, binds: list[str]) -> dict:
    proc = kg("query", str(graph_file), name, "--format", "json", *[f"--bind={b}" for b in binds])
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def remote(vt, name: str, binds: list[str], graphs: list[str]) -> dict:
    """The same query over HTTP; bindings become a VALUES block built from the parsed terms."""
    text = READY[name].read_text(encoding="utf-8")
    return http_select(vt, text + sparql.values_clause(sparql.parse_bindings(binds)), graphs)


@functools.lru_cache(maxsize=None)
def cases(graph_file: Path) -> list[tuple[str, list[str]]]:
    """Every ready query without bindings, and the parameterised ones with real values (found once
    per graph file)."""
    out = [(name, []) for name in sorted(READY)]
    rows = normal_results(local(graph_file, "lobbying", []))[1]
    assert rows, "the seeds report no lobbying: nothing to bind the evidence query to"
    lobbyist, lobbied = rows[0][0][1], rows[0][2][1]
    out += [("evidence", [f"subject={lobbyist}", f"object={lobbied}"]),
            ("evidence", [f"subject={lobbyist}", "property=<https://w3id.org/kg-chips/ontology#lobbies>"]),
            ("lobbying", [f"lobbyist={lobbyist}"])]
    stance_rows = [r for r in normal_results(local(graph_file, "decision-stances", []))[1] if r[6] is not None]
    assert stance_rows, "the seeds report no stances"
    out.append(("decision-stances", [f"decision={stance_rows[0][0][1]}"]))
    return out


@pytest.fixture(scope="module")
def pushed_turtle(virtuoso, seed_build):
    proc = push(virtuoso, seed_build / "graph.ttl", "--graph", TURTLE_GRAPH)
    assert proc.returncode == 0, proc.stderr
    assert "HTTP 201" in proc.stderr or "HTTP 200" in proc.stderr or "HTTP 204" in proc.stderr
    return seed_build / "graph.ttl"


def test_push_loads_every_triple(virtuoso, pushed_turtle):
    g = Graph()
    g.parse(pushed_turtle, format="turtle")
    assert count(virtuoso, [TURTLE_GRAPH]) == len(g)
    # the text survives the trip: every sentence text, byte for byte (Virtuoso lower-cases the tag only)
    texts = {str(o) for o in g.objects(None, URIRef("https://w3id.org/kg-chips/ontology#text"))}
    doc = http_select(virtuoso, "SELECT ?t WHERE { ?s <https://w3id.org/kg-chips/ontology#text> ?t }",
                      [TURTLE_GRAPH])
    assert {b["t"]["value"] for b in doc["results"]["bindings"]} == texts
    assert {b["t"]["xml:lang"].lower() for b in doc["results"]["bindings"]} == {"zh-hans"}


def test_ready_queries_exist():
    assert {"lobbying", "decision-stances", "evidence", "actor-ranking"} <= set(READY)


def test_every_ready_query_gives_the_same_answers_over_http(virtuoso, pushed_turtle):
    checked = []
    for name, binds in cases(pushed_turtle):
        here = normal_results(local(pushed_turtle, name, binds))
        there = normal_results(remote(virtuoso, name, binds, [TURTLE_GRAPH]))
        assert there[0] == here[0], name
        assert there[1] == here[1], f"{name} {binds}: Virtuoso and kg query disagree"
        assert here[1], f"{name} {binds}: no rows on the seeds"
        checked.append((name, len(here[1])))
    assert {name for name, _ in checked} == set(READY)


def test_bound_query_is_narrower_than_unbound(virtuoso, pushed_turtle):
    """The bindings really select: every row carries the bound values."""
    name, binds = next((n, b) for n, b in cases(pushed_turtle) if n == "evidence" and len(b) == 2 and b[1].startswith("object="))
    want = {b.split("=", 1)[0]: b.split("=", 1)[1] for b in binds}
    rows = http_select(virtuoso, READY[name].read_text() + sparql.values_clause(sparql.parse_bindings(binds)),
                       [TURTLE_GRAPH])["results"]["bindings"]
    everything = http_select(virtuoso, READY[name].read_text(), [TURTLE_GRAPH])["results"]["bindings"]
    assert 0 < len(rows) < len(everything)
    assert all(r["subject"]["value"] == want["subject"] and r["object"]["value"] == want["object"] for r in rows)


def test_trig_named_graphs_push_and_query(virtuoso, seed_build, seed_build_trig):
    """kg push of the TriG build: one graph per article plus the decisions; together they answer
    every query exactly as the Turtle file does, and one article can be dropped on its own."""
    trig = seed_build_trig / "graph.trig"
    proc = push(virtuoso, trig)
    assert proc.returncode == 0, proc.stderr
    ds = Dataset()
    ds.parse(trig, format="trig")
    named = {str(c.identifier): len(c) for c in ds.graphs()
             if c.identifier != DATASET_DEFAULT_GRAPH_ID and len(c)}
    assert len(named) == 6        # five seed articles and the merged decisions
    for iri, n in named.items():
        assert count(virtuoso, [iri]) == n, iri
    graphs = sorted(named)
    for name, binds in cases(seed_build / "graph.ttl"):
        here = normal_results(local(seed_build / "graph.ttl", name, binds))
        there = normal_results(remote(virtuoso, name, binds, graphs))
        assert there == here, f"{name} {binds}: the named graphs answer differently from graph.ttl"

    # drop one article's graph (Graph Store DELETE): its article node goes, the others stay
    article_graphs = [g for g in graphs if "/graph/merged/" not in g]
    victim = article_graphs[0]
    where = "?a a <https://w3id.org/kg-chips/ontology#Article>"
    assert count(virtuoso, graphs, where) == len(article_graphs)
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, virtuoso.graph_store_url, *virtuoso.auth)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(mgr))
    url = virtuoso.graph_store_url + "?" + urllib.parse.urlencode({"graph-uri": victim})
    with opener.open(urllib.request.Request(url, method="DELETE"), timeout=60) as resp:
        assert resp.status in (200, 204)
    assert count(virtuoso, [victim]) == 0
    assert count(virtuoso, graphs, where) == len(article_graphs) - 1
    # and pushing the TriG again (PUT) restores it
    assert push(virtuoso, trig).returncode == 0
    assert count(virtuoso, [victim]) == named[victim]


def test_push_wrong_password_fails_clearly(virtuoso, seed_build):
    proc = kg("push", str(seed_build / "graph.ttl"), "--endpoint", virtuoso.graph_store_url,
              "--graph", "https://w3id.org/kg-chips/test/denied", "--user", "dba", "--password", "wrong")
    assert proc.returncode == 2
    assert "HTTP 401" in proc.stderr and "authentication failed" in proc.stderr
    assert count(virtuoso, ["https://w3id.org/kg-chips/test/denied"]) == 0


def test_push_to_a_wrong_path_fails_clearly(virtuoso, seed_build):
    """Not a Graph Store endpoint: an HTTP error with a hint, exit 2, nothing loaded."""
    proc = kg("push", str(seed_build / "graph.ttl"), "--endpoint", virtuoso.base_url + "/no-such-store",
              "--graph", "https://w3id.org/kg-chips/test/nowhere", "--timeout", "30")
    assert proc.returncode == 2
    assert "kg push: PUT" in proc.stderr and "Graph Store endpoint" in proc.stderr
    assert re.search(r"HTTP (404|405|501) ", proc.stderr), proc.stderr
    assert count(virtuoso, ["https://w3id.org/kg-chips/test/nowhere"]) == 0


# --------------------------------------------------------------------------
# kg query --endpoint: the same rows as kg query on the file


def query_cli(*args: str) -> tuple[int, str, str]:
    """``kg query`` in this process (typer's runner: no interpreter start per query)."""
    result = CliRunner().invoke(app, ["query", *args])
    return result.exit_code, result.stdout, result.stderr


@functools.lru_cache(maxsize=None)
def _local_rows(graph_file: Path, name: str, binds: tuple[str, ...]):
    result = sparql.run(graph_file, READY[name].read_text(encoding="utf-8"), sparql.parse_bindings(binds),
                        "oxigraph")
    return normal_results(json.loads(sparql.to_json(result)))


def local_rows(graph_file: Path, name: str, binds: list[str]):
    """The answer of the file, in this process (once per query and bindings)."""
    return _local_rows(graph_file, name, tuple(binds))


def check_endpoint_answers(graph_file: Path, endpoint: list[str]) -> list[tuple[str, int]]:
    """Every ready query, unbound and bound, through kg query --endpoint; returns (name, rows)."""
    checked = []
    for name, binds in cases(graph_file):
        code, out, err = query_cli(*endpoint, name, "--format", "json", *[f"--bind={b}" for b in binds])
        assert code == 0, err
        here = local_rows(graph_file, name, binds)
        assert normal_results(json.loads(out)) == here, f"{name} {binds}: the endpoint and the file disagree"
        assert here[1], f"{name} {binds}: no rows on the seeds"
        checked.append((name, len(here[1])))
    assert {name for name, _ in checked} == set(READY)
    return checked


def test_kg_query_endpoint_virtuoso(virtuoso, pushed_turtle):
    checked = check_endpoint_answers(pushed_turtle, ["--endpoint", virtuoso.sparql_url, "--graph", TURTLE_GRAPH])
    bound = dict(checked)
    # the binding narrows: fewer rows than the unbound query
    code, out, _ = query_cli("--endpoint", virtuoso.sparql_url, "--graph", TURTLE_GRAPH, "evidence",
                             "--format", "csv")
    assert code == 0 and len(out.splitlines()) - 1 > bound["evidence"]


@pytest.fixture(scope="module")
def oxigraph(seed_build):
    if find_oxigraph() is None:
        pytest.fail("oxigraph not found: pip install -e '.[test]' (PyPI oxigraph)")
    with oxigraph_server() as server:
        proc = kg("push", str(seed_build / "graph.ttl"), "--endpoint", server.store_url)
        assert proc.returncode == 0, proc.stderr
        yield server
    assert server.process.poll() is not None, "the Oxigraph server we started is still running"


def test_kg_query_endpoint_oxigraph(oxigraph, seed_build):
    check_endpoint_answers(seed_build / "graph.ttl", ["--endpoint", oxigraph.query_url])
    code, out, _ = query_cli("--endpoint", oxigraph.query_url, "ASK { ?s ?p ?o }")
    assert (code, out) == (0, "true\n")
    code, out, _ = query_cli("--endpoint", oxigraph.query_url, "CONSTRUCT { ?d ?p ?o } WHERE { ?d a "
                             "<https://w3id.org/kg-chips/ontology#Decision> ; ?p ?o }")
    assert code == 0 and "d-us-export-close" in out and Graph().parse(data=out, format="turtle")
    code, out, _ = query_cli("--endpoint", oxigraph.query_url, "lobbying", "--format", "table")
    assert code == 0 and out.rstrip().endswith("rows)") and "jensen-huang" in out


def test_kg_query_endpoint_binding_is_a_value_not_text(oxigraph):
    """A value full of SPARQL stays a string: no row, no error, no change to the store."""
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    code, out, err = query_cli("--endpoint", oxigraph.query_url, "lobbying", "--bind", f"lobbyist={hostile}",
                               "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1:] == []
    code, out, _ = query_cli("--endpoint", oxigraph.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                             "--format", "csv")
    assert int(out.splitlines()[1]) > 1000


def test_kg_query_endpoint_failures_are_one_line(oxigraph, tmp_path):
    code, _, err = query_cli("--endpoint", oxigraph.query_url, "SELECT * WHERE { ?s ?p }")
    assert code == 2 and err.startswith("kg query: POST ") and "HTTP 400" in err and len(err.splitlines()) == 1
    code, _, err = query_cli("--endpoint", oxigraph.base_url + "/nowhere", "lobbying")
    assert code == 2 and "HTTP 404" in err and "/query" in err
    code, _, err = query_cli("--endpoint", oxigraph.query_url, "lobbying", "--bind", "nosuch=1")
    assert code == 2 and "no variable ?nosuch" in err
    code, _, err = query_cli("--endpoint", oxigraph.query_url, "graph.ttl", "lobbying")
    assert code == 2 and "expected QUERY with --endpoint" in err
