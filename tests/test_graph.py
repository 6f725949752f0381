"""Stage 4: the RDF graph — provenance offsets, labels, IRIs."""
from pathlib import Path

import pytest

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.rdf.namespaces import KGO

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def test_every_mention_slices_its_original_file(seed_graph):
    originals = {p.stem: p.read_text(encoding="utf-8") for p in RAW.glob("*.txt")}
    mentions = list(seed_graph.subjects(RDF.type, KGO.Mention))
    assert len(mentions) > 300
    for m in mentions:
        article = seed_graph.value(m, KGO.inArticle)
        doc = str(seed_graph.value(article, KGO.docId))
        start = int(seed_graph.value(m, KGO.startOffset))
        end = int(seed_graph.value(m, KGO.endOffset))
        written = str(seed_graph.value(m, KGO.surfaceOriginal))
        assert originals[doc][start:end] == written, (doc, start, end, written)
        surface = str(seed_graph.value(m, KGO.surface))
        if seed_graph.value(m, KGO.method).toPython() != "pronoun":
            from kg.chinese import converter
            assert converter("t2s").convert(written) == surface


def test_every_sentence_slices_its_original_file(seed_graph):
    from kg.chinese import converter
    originals = {p.stem: p.read_text(encoding="utf-8") for p in RAW.glob("*.txt")}
    for s in seed_graph.subjects(RDF.type, KGO.Sentence):
        doc = str(seed_graph.value(seed_graph.value(s, KGO.inArticle), KGO.docId))
        start, end = int(seed_graph.value(s, KGO.startOffset)), int(seed_graph.value(s, KGO.endOffset))
        assert converter("t2s").convert(originals[doc][start:end]) == str(seed_graph.value(s, KGO.text))


def test_labels_carry_language_tags(seed_graph):
    trump = URIRef("https://w3id.org/kg-chips/id/entity/donald-trump")
    labels = {l.language: str(l) for l in seed_graph.objects(trump, SKOS.prefLabel)}
    assert labels["zh-Hans"] == "特朗普" and labels["en"] == "Donald Trump" and "zh-Hant" in labels


def test_traditional_mention_keeps_the_original_script(seed_graph):
    written = {str(o) for m in seed_graph.subjects(KGO.mentionOf, URIRef("https://w3id.org/kg-chips/id/entity/nvidia"))
               for o in seed_graph.objects(m, KGO.surfaceOriginal)}
    assert {"英偉達", "英伟达"} <= written


def test_base_iri_is_configurable(tmp_path):
    from kg import pipeline
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("英伟达CEO黄仁勋游说特朗普。\n", encoding="utf-8")
    built = pipeline.build([src], base="http://example.org/kg/")
    subjects = {str(s) for s in built.graph.subjects()}
    assert subjects and all(s.startswith("http://example.org/kg/") for s in subjects)


@pytest.mark.parametrize("text, lang", [("plain", None), ('say "hi" \\ back\nand\r\n', "zh-Hans"),
                                        ("特朗普\u200f😀\t<script>", "zh-Hans"), ("", None), ("N", "en")])
def test_text_literals_are_the_n_triples_rdflib_reads_back(text, lang):
    """The per-article writer makes its literals itself: they must parse back to the same value."""
    from rdflib import Graph, Literal
    from kg.rdf import terms
    line = f"<urn:s> <urn:p> {terms.text_literal(text, lang)} .\n"
    (_, _, o), = Graph().parse(data=line, format="nt")
    assert o == Literal(text, lang=lang)


@pytest.mark.parametrize("value, datatype, expected", [
    (True, "boolean", '"true"'), (False, "boolean", '"false"'), (0.85, "decimal", '"0.85"'),
    (1.0, "decimal", '"1.0"'), (1e-05, "decimal", '"0.00001"'), (0.25, "decimal", '"0.25"'),
    (7, "integer", '"7"'), ("2025-12-08", "date", '"2025-12-08"')])
def test_typed_literals_have_valid_lexical_forms(value, datatype, expected):
    import pyoxigraph as ox
    from kg.rdf import terms
    term = terms.typed_literal(value, datatype)
    assert term == expected + f"^^<http://www.w3.org/2001/XMLSchema#{datatype}>"
    quad, = ox.parse(f"<urn:s> <urn:p> {term} .\n".encode(), format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == expected.strip('"')


def test_the_same_iris_as_rdflib_terms_and_as_n_triples():
    from kg.rdf import terms as rdf
    from kg.rdf.namespaces import KGO
    mint = rdf.Minter("https://example.org/x")
    assert mint.terms.entity("a b") == f"<{mint.entity('a b')}>" == "<https://example.org/x/entity/a%20b>"
    assert mint.terms.sentence("d/1", 3) == f"<{mint.sentence('d/1', 3)}>"
    assert rdf.K.agent == f"<{KGO.agent}>"
