"""Article text can only ever be a literal.

Articles carrying triple quotes, backslashes, `<script>`, newlines, N-Triples and
SPARQL fragments are built with `kg build`; every output format must parse with
rdflib, pyoxigraph, rapper and Jena's riot, give the same triples, hold each
payload intact inside a literal, mint only valid IRIs under the base, and gain
no triple from the text. The HTML report of that build shows the markup as text
in headless Chromium, and no script from an article runs.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
BASE = "https://w3id.org/kg-chips/id/"

# (no ASCII ! or ?: they end a sentence, and each payload should stay within one)
PAYLOADS = [
    '"""', "'''", '<script>alert("kg")</script>', "C:\\new\\table \\u0022 \\\\ \\",
    'x" . <http://example.org/injected> <http://example.org/p> "y',
    '"} ; DROP ALL ; INSERT DATA { <http://example.org/injected> <http://example.org/p> "z" } #',
    "> < & &amp; ]]> -->", "@prefix ex: <http://example.org/> . ex:a ex:b ex:c .",
    "' ; SELECT * WHERE { $s $p $o } #", "\u202e\u200f right-to-left \u202c \u2066x\u2069",
]
SCRIPT = '<script>alert("kg")</script>'
ODD_ID = 'x" . <http://example.org/injected> <p> "y\n"} ; DROP ALL ; #{ }|^`\\ %41 ../..'
URL = 'http://example.org/a b"<>"""\n{}|^`\\'
TITLE = f'美国商务部{SCRIPT}\n"""限制英伟达\\芯片'
KNOWN_NAMESPACES = (BASE, "https://w3id.org/kg-chips/ontology#", "https://schema.org/",
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                    "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#",
                    "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2002/07/owl#")


def with_payloads(text: str, offset: int = 0) -> str:
    """A payload before the 。 of every sentence that names a catalogued actor (so that the
    sentence is in the graph), each payload in turn."""
    from kg import knowledge
    forms = [f for f in knowledge.catalog().surface if len(f) >= 2]
    parts = text.split("。")
    n = offset
    for i, part in enumerate(parts[:-1]):
        if any(f in part for f in forms):
            parts[i] = part + PAYLOADS[n % len(PAYLOADS)]
            n += 1
    assert n - offset >= len(PAYLOADS)
    return "。".join(parts)


def write_hostile_corpus(folder: Path) -> None:
    """Three hostile articles: a .txt, a .jsonl record with hostile id/title/url, an .html page."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(RAW.glob("*.txt"))
    first, *rest = seeds[0].read_text(encoding="utf-8").split("\n", 1)
    (folder / "hostile-text.txt").write_text(f"英伟达CEO黄仁勋{SCRIPT}游说特朗普\\\"\"\"\n" + with_payloads(rest[0]),
                                        encoding="utf-8")
    record = {"id": ODD_ID, "title": TITLE, "url": URL, "date": "2025-11-04",
              "text": with_payloads(seeds[2].read_text(encoding="utf-8"), 3)}
    (folder / "hostile.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    paragraphs = "".join(f"<p>{line.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>"
                         for line in with_payloads(seeds[3].read_text(encoding="utf-8"), 6).splitlines())
    (folder / "hostile-page.html").write_text(
        "<!DOCTYPE html><html><head><title>标题</title><script>alert('head')</script></head><body>"
        f"{paragraphs}<script>alert('body')</script></body></html>", encoding="utf-8")


def _kg(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """`kg build` of the hostile corpus in every format (the later ones reuse the article cache)."""
    base = tmp_path_factory.mktemp("hostile")
    write_hostile_corpus(base / "in")
    for fmt in ("ttl", "nt", "trig", "nq", "jsonld"):
        proc = _kg("build", str(base / "in"), "--out", str(base / "out"), "--format", fmt,
                   *(["--update"] if fmt != "ttl" else []))
        assert proc.returncode == 0, proc.stderr
    return base / "out"


FILES = {"ttl": ("graph.ttl", "turtle"), "nt": ("graph.nt", "nt"), "trig": ("graph.trig", "trig"),
         "nq": ("graph.nq", "nquads"), "jsonld": ("graph.jsonld", "json-ld")}


def _triples(path: Path, fmt: str) -> set:
    import rdflib
    if fmt in ("trig", "nq"):
        ds = rdflib.Dataset()
        ds.parse(path, format=FILES[fmt][1])
        return {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    return set(rdflib.Graph().parse(path, format=FILES[fmt][1]))


@pytest.fixture(scope="module")
def triples(hostile) -> set:
    return _triples(hostile / "graph.ttl", "ttl")


@pytest.mark.parametrize("fmt", list(FILES))
def test_every_format_parses_to_the_same_triples(hostile, triples, fmt):
    assert _triples(hostile / FILES[fmt][0], fmt) == triples


@pytest.mark.parametrize("fmt", ["ttl", "nt", "trig", "nq"])
def test_pyoxigraph_reads_every_format(hostile, triples, fmt):
    import pyoxigraph
    kind = {"ttl": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG", "nq": "N_QUADS"}[fmt]
    store = pyoxigraph.Store()
    store.load(path=str(hostile / FILES[fmt][0]), format=getattr(pyoxigraph.RdfFormat, kind))
    found = {(q.subject.value, q.predicate.value, q.object.value) for q in store}
    assert found == {(str(s), str(p), str(o)) for s, p, o in triples}


@pytest.mark.parametrize("finder", ["find_rapper", "find_riot"])
def test_rapper_and_riot_count_the_same_triples(hostile, triples, finder):
    import servers
    cmd = getattr(servers, finder)()
    if cmd is None:
        pytest.fail(f"{finder}: install the Debian test packages (bash .ci/install-debian.sh)")
    assert servers.run_parser_count(cmd, hostile / "graph.ttl") == len(triples)


def test_iris_are_minted_not_taken_from_text(triples):
    import rdflib
    iris = {str(t) for triple in triples for t in triple if isinstance(t, rdflib.URIRef)}
    assert not any(isinstance(t, rdflib.BNode) for triple in triples for t in triple)
    for iri in iris:
        assert iri.startswith(KNOWN_NAMESPACES), iri
        assert not any(c in iri for c in ' <>"{}|\\^`\n\r\t'), iri
        assert not iri.startswith("http://example.org")
    articles = {iri for iri in iris if iri.startswith(BASE + "article/")}
    assert len(articles) == 3
    odd = next(iri for iri in articles if "hostile" not in iri)
    from urllib.parse import unquote
    assert unquote(odd[len(BASE + "article/"):]) == ODD_ID
    assert "/" not in odd[len(BASE + "article/"):] and "%2F" in odd


def test_payloads_stay_whole_inside_literals(triples):
    import rdflib
    from kg.rdf.namespaces import KGO, SCHEMA
    literals = [o for _, _, o in triples if isinstance(o, rdflib.Literal)]
    texts = {str(o) for s, p, o in triples if p == KGO.text}
    for payload in PAYLOADS:
        assert any(payload in t for t in texts), payload
    values = {str(o) for o in literals}
    assert ODD_ID in values                                  # kgo:docId
    assert URL in values                                     # schema:url, newline and all
    headlines = {str(o) for _, p, o in triples if p == SCHEMA.headline}
    assert any(SCRIPT in h for h in headlines), headlines
    # nothing the text says became a statement
    predicates = {str(p) for _, p, _ in triples}
    assert all(p.startswith(KNOWN_NAMESPACES) for p in predicates), predicates


def test_facts_view_reads_the_hostile_graph(hostile):
    proc = _kg("facts", str(hostile / "graph.ttl"))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert any(r["type"] == "relation" for r in rows), "the hostile articles still give facts"
    assert ODD_ID in {r["doc"] for r in rows}
    assert any(any(p in r.get("evidence", "") for p in PAYLOADS) for r in rows)


# --------------------------------------------------------------------------
# The HTML report, in headless Chromium (the browser fixture of test_report)

from test_report import _open, browser  # noqa: E402,F401


@pytest.fixture(scope="module")
def hostile_html(hostile, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report")
    proc = _kg("report", str(hostile / "graph.ttl"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out / "report.html"


def test_report_html_has_the_payloads_only_as_escaped_text(hostile_html):
    page = hostile_html.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(" in page


@pytest.mark.integration
def test_a_script_in_an_article_does_not_run_in_the_report(browser, hostile_html):
    alerted, errors = _open(browser, hostile_html)
    assert not alerted, "a script from an article ran"
    assert errors == [], errors
    assert browser.execute_script("return document.getElementsByTagName('script').length;") == 0
    text = browser.execute_script("return document.body.innerText;")
    assert SCRIPT in text
