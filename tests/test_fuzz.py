"""Property tests: arbitrary Unicode and bytes through ingest, nlp, extract and graph.

Whatever goes in, no stage raises anything but IngestError (a refused input),
and every graph written parses again, with rdflib and with pyoxigraph, and
gives back the article's sentences exactly.

The number of examples per test comes from KG_FUZZ_EXAMPLES (default 30, so
the suite stays fast). The long run, documented in the README:

    KG_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q   # 5 property tests: 10,000 examples
"""
from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.ingest import IngestError, build_article, decode_report, read_file

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much, HealthCheck.large_base_example])

# Text that has broken parsers, serialisers and offset maps before.
NASTY = [
    '"""', "'''", '"', "'", "\\", '\\"', "\\u0022", "\\n", ">", "<", "&amp;", "&#0;", "&#xD800;",
    "<script>alert(1)</script>", "</p>", "<![ foo", "<!--", "]]>", "<html><body>", "</body></html>",
    "\n", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
    "\x00", "\x01", "\x1b", "\x7f", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\ue000",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c",
    "😀", "👩‍👩‍👧", "🇺🇸", "🇨🇳", "\u0301", "e\u0301",
    "ＡＢＣ", "１２３", "，", "。", "！", "?", ";", ":", "(", ")", "「", "」", "\u3000",
    "} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #", "?s ?p ?o .", "@prefix x: <http://x/> .",
    "<http://example.org/x>", "_:b0", '"x"^^<http://www.w3.org/2001/XMLSchema#int>', "@en",
    "2025年11月4日", "11月4日", "2025-13-45", "19999年", "20%", "H20", "H200", "B30A",
]


@lru_cache(maxsize=1)
def _words() -> list[str]:
    """Catalog names and trigger words, so that entities and acts are found and minted."""
    from kg import extract, knowledge
    forms = sorted(knowledge.catalog().surface)
    triggers = sorted(extract.lexicon()["triggers"])
    return forms[::7] + triggers + ["宣布", "表示", "游说", "限制", "出口", "芯片", "对华", "批准", "反对"]


def words():
    return st.integers(0, 10 ** 6).map(lambda i: _words()[i % len(_words())])


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
any_char = st.characters(blacklist_categories=("Cs",))            # every code point a file can hold
piece = st.one_of(
    st.text(any_char, max_size=12),
    st.sampled_from(NASTY),
    words(),
    st.text(han, min_size=1, max_size=40),
)
long_run = st.one_of(                                              # no punctuation for a long way
    st.text(han, min_size=300, max_size=3000),
    st.tuples(words(), st.integers(20, 300)).map(lambda t: t[0] * t[1]),
    st.text(st.sampled_from("abcXYZ019 "), min_size=500, max_size=5000),
)
article_text = st.lists(st.one_of(piece, piece, piece, long_run), min_size=1, max_size=40).map("".join)
chinese_text = st.tuples(words(), article_text, words(), article_text).map("".join)


def _check_article(art) -> None:
    assert len(art.starts) == len(art.ends) == len(art.text)
    for i in range(len(art.text)):
        s, e = art.original_span(i, i + 1)
        assert 0 <= s <= e <= len(art.original)
    for value in (art.text, art.original, art.title, art.doc_id, art.source):
        value.encode("utf-8")          # no lone surrogates anywhere


@FUZZ
@given(st.binary(max_size=4000))
def test_decode_any_bytes(data):
    try:
        text, encoding, warnings = decode_report(data)
    except IngestError as e:
        assert str(e)
        return
    text.encode("utf-8")
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)


@FUZZ
@given(article_text, st.booleans())
def test_build_article_any_text(text, html_page):
    try:
        art = build_article("fuzz", "fuzz.txt", text, html_page=html_page)
    except IngestError as e:
        assert str(e)
        return
    _check_article(art)


@FUZZ
@given(st.one_of(st.binary(max_size=3000), article_text.map(lambda t: t.encode("utf-8")),
                 chinese_text.map(lambda t: t.encode("gb18030")),
                 chinese_text.map(lambda t: t.encode("utf-16"))),
       st.sampled_from([".txt", ".html", ".jsonl"]))
def test_read_file_any_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            articles = list(read_file(path))
        except IngestError as e:
            assert str(e) and "\n" not in str(e)
            return
    for art in articles:
        _check_article(art)


surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
record_value = st.lists(st.one_of(piece, surrogate.map(str)), max_size=20).map("".join)


@FUZZ
@given(st.lists(st.fixed_dictionaries({"text": st.tuples(words(), record_value).map("".join)},
                                      optional={"id": st.one_of(record_value, st.integers(), st.none()),
                                                "title": record_value, "date": record_value,
                                                "url": record_value}),
                min_size=1, max_size=4))
def test_jsonl_records_with_escaped_surrogates(records):
    """JSON may escape lone surrogates (\\ud800); they never reach the article or the graph."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="ascii")
        articles = []
        try:
            for art in read_file(path):
                articles.append(art)
        except IngestError as e:
            assert str(e) and "\n" not in str(e)
    for art in articles:
        _check_article(art)
        _through_graph(art)


def _through_graph(art) -> None:
    """nlp → extract → graph for one article; the Turtle and N-Triples must parse back."""
    import pyoxigraph
    import rdflib

    from kg import extract, nlp
    from kg.rdf import assemble, decisions, io
    from kg.rdf import graph as rdf
    from kg.rdf.namespaces import KGO
    from kg.rdf.terms import Minter, TripleSink

    analysis = next(nlp.analyse([art]))
    acts = extract.extract(analysis)
    event(f"graphed: {'with' if acts.acts or acts.decisions else 'no'} acts or decisions")
    g = TripleSink()
    mint = Minter()
    rdf.add_article(g, mint, analysis, acts.argument_keys())
    rdf.add_doc_events(g, mint, acts)
    built = assemble.assemble([("fuzz", g.ntriples(), decisions.reported(analysis.article.doc_id, acts.decisions))], mint)
    formats = (("ttl", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
               ("trig", pyoxigraph.RdfFormat.TRIG), ("nq", pyoxigraph.RdfFormat.N_QUADS))
    for fmt, ox in formats:
        data = built.serialize(fmt, mint)
        if fmt in ("trig", "nq"):
            ds = rdflib.Dataset().parse(data=data, format=io.FORMATS[fmt])
            back = rdflib.Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                back.add((s, p, o))
        else:
            back = rdflib.Graph().parse(data=data, format=io.FORMATS[fmt])
        assert len(back) == len(built.union) >= len(g)
        store = pyoxigraph.Store()
        store.load(data, format=ox)
        quads = sum(len(lines) for _, lines in built.docs) + len(built.decisions)
        assert len(store) == (quads if fmt in ("trig", "nq") else len(built.union))
        for s, p, o in back:
            for term in (s, p, o):
                if isinstance(term, rdflib.URIRef):   # (URIRef.startswith is not str's)
                    iri = str(term)
                    assert iri.startswith(("https://", "http://")), iri
                    assert not any(c in iri for c in ' <>"{}|\\^`\n\r\t'), iri
    texts = {str(o) for o in back.objects(None, KGO.text)}
    used = {m.sent for m in analysis.mentions + analysis.pronouns}
    assert {analysis.sentences[i].text for i in used} <= texts


@FUZZ
@given(chinese_text)
def test_any_text_through_every_stage(text):
    try:
        art = build_article("fuzz", "fuzz.txt", text)
    except IngestError as e:
        event(f"refused: {str(e).split('(')[0]}")
        return
    _check_article(art)
    _through_graph(art)
