"""`kg export` and the Python API: the graph as six tables (CSV and Parquet) and as
`kg.load()` views, checked against SPARQL counts of the same objects on the seed graph."""
from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import kg.api
from kg.chinese import converter
from kg.ingest import decode
from kg.views import query as sparql
from kg.views import tables

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["articles", "entities", "mentions", "acts", "decisions", "stances"]

# the same objects counted by SPARQL, in one query: what each table has one row of
COUNTS = """PREFIX kgo: <https://w3id.org/kg-chips/ontology#>
SELECT ?articles ?entities ?mentions ?acts ?decisions ?stances WHERE {
  { SELECT (COUNT(DISTINCT ?a) AS ?articles) WHERE { ?a a kgo:Article } }
  { SELECT (COUNT(DISTINCT ?e) AS ?entities) WHERE {
      ?e kgo:key ?k ; a ?c . FILTER(?c IN (kgo:Person, kgo:Company, kgo:GovernmentBody, kgo:Country,
                                           kgo:Media, kgo:Product)) } }
  { SELECT (COUNT(DISTINCT ?m) AS ?mentions) WHERE { ?m a kgo:Mention } }
  { SELECT (COUNT(*) AS ?acts) WHERE { SELECT DISTINCT ?agent ?p ?target ?date WHERE {
      ?x a kgo:Act ; kgo:agent ?agent ; kgo:actProperty ?p ; kgo:target ?target .
      OPTIONAL { ?x kgo:date ?date } } } }
  { SELECT (COUNT(DISTINCT ?d) AS ?decisions) WHERE { ?d a kgo:Decision } }
  { SELECT (COUNT(*) AS ?stances) WHERE { SELECT DISTINCT ?actor ?d ?s WHERE {
      ?x a kgo:Stance ; kgo:actor ?actor ; kgo:decision ?d ; kgo:stance ?s } } }
}"""


def kg_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def exported(seed_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    for fmt in ("csv", "parquet"):
        proc = kg_cli("export", str(seed_build / "graph.ttl"), "--out", str(out), "--format", fmt)
        assert proc.returncode == 0, proc.stderr
    return out


def test_six_tables_in_both_formats_with_the_counts_of_kg_query(exported, seed_build):
    proc = kg_cli("query", str(seed_build / "graph.ttl"), COUNTS, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    header, values = proc.stdout.splitlines()[:2]
    want = dict(zip(header.split(","), map(int, values.split(","))))
    assert all(want[name] > 0 for name in NAMES), want
    for name in NAMES:
        csv_frame = pd.read_csv(exported / f"{name}.csv", keep_default_na=False)
        parquet = pq.read_table(exported / f"{name}.parquet")
        assert len(csv_frame) == parquet.num_rows == want[name], name
        assert list(csv_frame.columns) == parquet.column_names == [c for c, _ in tables.COLUMNS[name]]


def test_parquet_dates_are_date32_and_csv_dates_iso(exported):
    import pyarrow as pa
    for name, columns in tables.COLUMNS.items():
        schema = pq.read_schema(exported / f"{name}.parquet")
        frame = pd.read_csv(exported / f"{name}.csv", dtype=str, keep_default_na=False)
        for col, kind in columns:
            if kind == "date":
                assert schema.field(col).type == pa.date32(), (name, col)
                assert frame[col].str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all(), (name, col)
    acts = pq.read_table(exported / "acts.parquet").to_pandas()
    assert acts["date"].notna().all()          # stated, or the first report's publication date


def test_every_act_row_is_told_by_its_article(exported, seed_build):
    """The evidence is a sentence of the article it names (in Simplified, as the graph keeps it),
    and the counts say how many articles and sentences report the event."""
    acts = pd.read_csv(exported / "acts.csv", keep_default_na=False)
    articles = pd.read_csv(exported / "articles.csv", keep_default_na=False).set_index("doc")
    texts = {}
    for doc, row in articles.iterrows():
        original, _ = decode((ROOT / "data" / "raw" / row["file"]).read_bytes())
        texts[doc] = "".join(converter("t2s").convert(original).split())
    for _, row in acts.iterrows():
        assert row["evidence"] and "".join(row["evidence"].split()) in texts[row["doc"]], row.to_dict()
        assert row["doc"] in row["articles"].split()
        assert 1 <= row["num_articles"] <= row["num_mentions"]
        assert row["sign"] in {"cooperative", "neutral", "conflictual"}
    signs = dict(zip(acts["act"], acts["sign"]))
    assert signs.get("criticizes") == "conflictual" and signs.get("advises") == "cooperative"


def test_export_is_deterministic(exported, seed_build, tmp_path):
    for fmt in ("csv", "parquet"):
        assert kg_cli("export", str(seed_build / "graph.ttl"), "-o", str(tmp_path), "-f", fmt).returncode == 0
    for name in NAMES:
        for fmt in ("csv", "parquet"):
            assert (tmp_path / f"{name}.{fmt}").read_bytes() == (exported / f"{name}.{fmt}").read_bytes()


def test_one_table_to_standard_output(exported, seed_build, tmp_path):
    for fmt in ("csv", "parquet"):
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "export", str(seed_build / "graph.ttl"), "--out", "-",
                               "--table", "acts", "--format", fmt], capture_output=True, cwd=ROOT)
        assert proc.returncode == 0 and proc.stdout == (exported / f"acts.{fmt}").read_bytes(), proc.stderr
    assert kg_cli("export", str(seed_build / "graph.ttl"), "-o", str(tmp_path), "-t", "stances").returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["stances.csv"]
    proc = kg_cli("export", str(seed_build / "graph.ttl"), "--out", "-")
    assert proc.returncode == 2 and "exactly one --table" in proc.stderr
    proc = kg_cli("export", str(seed_build / "graph.ttl"), "--out", "-", "--table", "events")
    assert proc.returncode == 2 and "no table 'events'" in proc.stderr


def test_export_bad_format_and_missing_graph(tmp_path):
    proc = kg_cli("export", "no-such.ttl", "--out", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.strip() == "no-such.ttl: no such file"
    proc = kg_cli("export", "no-such.ttl", "--out", str(tmp_path), "--format", "xlsx")
    assert proc.returncode == 2 and "unknown format 'xlsx'" in proc.stderr


SMALL = """@base <https://example.org/t/> . @prefix kgo: <https://w3id.org/kg-chips/ontology#> . @prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix e: <https://w3id.org/kg-chips/id/entity/> .
<a1> a kgo:Article ; kgo:docId "a1" ; schema:datePublished "2025-03-02"^^xsd:date ;
     schema:url "https://news.example.com/1"^^xsd:anyURI ; kgo:sourceFile "a1.html" .
<a2> a kgo:Article ; kgo:docId "a2" ; schema:datePublished "2025-03-01"^^xsd:date ;
     schema:url "https://other.example.org/2"^^xsd:anyURI ; kgo:outlet "新华网" .
e:x a kgo:Person ; kgo:key "x" . e:y a kgo:Person ; kgo:key "y" .
<a1> schema:mentions e:x , e:y . <a2> schema:mentions e:x .
<m1> a kgo:Mention ; kgo:mentionOf e:y ; kgo:inArticle <a1> ; kgo:startOffset 0 ; kgo:endOffset 1 .
<s1> kgo:text "甲游说乙。"@zh-Hans ; kgo:sentenceIndex 4 .
<s2> kgo:text "甲再次游说乙。"@zh-Hans ; kgo:sentenceIndex 7 .
<act1> a kgo:Act ; kgo:agent e:x ; kgo:target e:y ; kgo:actProperty kgo:lobbies ; kgo:inArticle <a1> ;
       kgo:evidence <s1> ; kgo:confidence 0.8 ; kgo:date "2025-02"^^xsd:gYearMonth .
<act2> a kgo:Act ; kgo:agent e:x ; kgo:target e:y ; kgo:actProperty kgo:lobbies ; kgo:inArticle <a2> ;
       kgo:evidence <s2> ; kgo:confidence 0.9 ; kgo:date "2025-02"^^xsd:gYearMonth .
"""


def test_one_event_told_twice_is_one_row_dated_and_sourced_by_its_first_report(tmp_path):
    """And every table carries where its rows come from: the first report's URL."""
    path = tmp_path / "g.ttl"
    path.write_text(SMALL, encoding="utf-8")
    got = tables.tables(path)
    (act,) = got["acts"]
    assert (act["date"].isoformat(), act["date_precision"], act["dated"]) == ("2025-02-01", "month", True)
    assert (act["num_articles"], act["num_mentions"], act["articles"]) == (2, 2, "a1 a2")
    assert act["confidence"] == 0.9 and act["sign"] == "neutral"
    # the first report is a2 (published a day earlier): its URL and its sentence
    assert (act["source_url"], act["doc"], act["sentence"], act["evidence"]) == (
        "https://other.example.org/2", "a2", 7, "甲再次游说乙。")
    assert {e["key"]: e["source_url"] for e in got["entities"]} == {"x": "https://other.example.org/2",
                                                                    "y": "https://news.example.com/1"}
    assert [m["url"] for m in got["mentions"]] == ["https://news.example.com/1"]
    outlets = {a["doc"]: a["outlet"] for a in got["articles"]}
    assert outlets == {"a1": "news.example.com", "a2": "新华网"}   # the page's own name, else the URL's host


def test_a_graph_that_is_not_rdf_is_one_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("this is not turtle", encoding="utf-8")
    proc = kg_cli("export", str(path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert str(path) in proc.stderr and "cannot load" in proc.stderr
    with pytest.raises(sparql.QueryError):
        tables.tables(path)


def test_api_doctests(seed_build):
    """The examples of kg/api.py's docstrings, on the seed graph."""
    result = doctest.testmod(kg.api, extraglobs={"GRAPH": str(seed_build / "graph.ttl")},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 6 and result.failed == 0


def test_api_tables_are_the_export_with_datetime_columns(seed_build, exported):
    g = kg.api.load(seed_build / "graph.ttl")
    for name in NAMES:
        frame = g.tables[name]
        assert len(frame) == pq.read_table(exported / f"{name}.parquet").num_rows
        for col, kind in tables.COLUMNS[name]:
            if kind == "date":
                assert pd.api.types.is_datetime64_any_dtype(frame[col]), (name, col)
    with pytest.raises(KeyError, match="not a decision"):
        g.who_influenced("jensen-huang")
    with pytest.raises(FileNotFoundError):
        kg.api.load(seed_build / "nothing.ttl")
