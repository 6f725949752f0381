"""``kg export``: the graph as tables, one per object, as GraphRAG writes its outputs.

Six tables, each a list of rows (column -> value) in a stable order, with a fixed column
type per column (:data:`COLUMNS`): ``articles``, ``entities``, ``mentions``, ``acts``
(one row per event in GDELT's manner: the acts of the same agent, act, target and date
merged across the articles that report them, counted in articles and mentions),
``decisions`` and ``stances`` (one row per actor, decision and side, merged across
articles). They are written as CSV (UTF-8, ISO dates, empty cells for missing values) or
Parquet (date32 dates, int64 counts); :func:`frames` gives them as pandas DataFrames with
datetime columns. Lists (products, articles, vias) are keys joined by spaces: keys hold none.

A date the articles give only to the month or year (``2025-08``) is the period's first day
with ``date_precision`` month or year; an act the articles give no date takes the date its
first article was published (``dated`` false), as GDELT dates an event by its report.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from kg import knowledge
from kg.rdf.io import write_atomic
from kg.rdf.namespaces import sparql_prefixes
from kg.views import query as sparql

FORMATS = ("csv", "parquet")

#: table -> (column, type); type is str, int, float, bool or date
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [("doc", "str"), ("title", "str"), ("date", "date"), ("outlet", "str"), ("url", "str"),
                 ("file", "str"), ("line", "int"), ("script", "str")],
    "entities": [("key", "str"), ("class", "str"), ("label_zh_hans", "str"), ("label_zh_hant", "str"),
                 ("label_en", "str"), ("articles", "int"), ("mentions", "int"), ("source_url", "str")],
    "mentions": [("doc", "str"), ("key", "str"), ("sentence", "int"), ("start", "int"), ("end", "int"),
                 ("surface", "str"), ("surface_original", "str"), ("method", "str"), ("url", "str")],
    "acts": [("date", "date"), ("date_precision", "str"), ("dated", "bool"), ("agent", "str"), ("act", "str"),
             ("target", "str"), ("product", "str"), ("sign", "str"), ("confidence", "float"),
             ("num_articles", "int"), ("num_mentions", "int"), ("articles", "str"), ("source_url", "str"),
             ("doc", "str"), ("sentence", "int"), ("evidence", "str")],
    "decisions": [("id", "str"), ("label", "str"), ("decider", "str"), ("scope", "str"), ("direction", "str"),
                  ("products", "str"), ("date", "date"), ("date_precision", "str"), ("conditions", "str"),
                  ("revenue_share", "float"), ("num_articles", "int"), ("num_mentions", "int"),
                  ("first_reported", "date"), ("articles", "str"), ("source_url", "str")],
    "stances": [("actor", "str"), ("decision", "str"), ("stance", "str"), ("via", "str"),
                ("num_articles", "int"), ("first_date", "date"), ("last_date", "date"), ("articles", "str"),
                ("num_evidence", "int"), ("source_url", "str"), ("doc", "str"), ("sentence", "int"),
                ("evidence", "str")],
}

_P = sparql_prefixes("kgo", "schema", "skos", "rdf", "rdfs")

ARTICLES = _P + """
SELECT ?doc ?title ?date ?outlet ?url ?file ?line ?script WHERE {
  ?a a kgo:Article ; kgo:docId ?doc .
  OPTIONAL { ?a schema:headline ?title } OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a kgo:outlet ?outlet } OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a kgo:sourceFile ?file } OPTIONAL { ?a kgo:sourceLine ?line } OPTIONAL { ?a kgo:script ?script }
}"""

ENTITIES = _P + """
SELECT ?key ?cls ?hans ?hant ?en ?articles ?mentions WHERE {
  { SELECT ?e ?key ?cls WHERE { ?e kgo:key ?key ; rdf:type ?cls . FILTER(?cls IN (%s)) } }
  OPTIONAL { ?e skos:prefLabel ?hans . FILTER(langMatches(lang(?hans), "zh-Hans")) }
  OPTIONAL { ?e skos:prefLabel ?hant . FILTER(langMatches(lang(?hant), "zh-Hant")) }
  OPTIONAL { ?e skos:prefLabel ?en . FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { SELECT ?e (COUNT(DISTINCT ?a) AS ?articles) WHERE { ?a schema:mentions ?e } GROUP BY ?e }
  OPTIONAL { SELECT ?e (COUNT(DISTINCT ?m) AS ?mentions) WHERE { ?m kgo:mentionOf ?e } GROUP BY ?e }
}""" % ", ".join(f"kgo:{c}" for c in knowledge.CLASSES)

MENTIONED_IN = _P + """
SELECT ?key ?doc WHERE { ?a schema:mentions ?e ; kgo:docId ?doc . ?e kgo:key ?key }"""

MENTIONS = _P + """
SELECT ?doc ?key ?sentence ?start ?end ?surface ?original ?method WHERE {
  ?m a kgo:Mention ; kgo:mentionOf/kgo:key ?key ; kgo:inArticle/kgo:docId ?doc ;
     kgo:startOffset ?start ; kgo:endOffset ?end .
  OPTIONAL { ?m kgo:inSentence/kgo:sentenceIndex ?sentence } OPTIONAL { ?m kgo:surface ?surface }
  OPTIONAL { ?m kgo:surfaceOriginal ?original } OPTIONAL { ?m kgo:method ?method }
}"""

ACTS = _P + """
SELECT ?act ?agent ?prop ?target ?product ?doc ?sentence ?text ?confidence ?date WHERE {
  ?act a kgo:Act ; kgo:agent/kgo:key ?agent ; kgo:actProperty ?prop ; kgo:target ?t . ?t kgo:key ?target .
  OPTIONAL { ?t a kgo:Product ; kgo:key ?product }
  OPTIONAL { ?act kgo:inArticle/kgo:docId ?doc }
  OPTIONAL { ?act kgo:evidence ?s . ?s kgo:text ?text ; kgo:sentenceIndex ?sentence }
  OPTIONAL { ?act kgo:confidence ?confidence } OPTIONAL { ?act kgo:date ?date }
}"""

DECISIONS = _P + """
SELECT ?d ?id ?label ?decider ?scope ?direction ?date ?share ?na ?nm WHERE {
  ?d a kgo:Decision ; kgo:key ?id .
  OPTIONAL { ?d rdfs:label ?label } OPTIONAL { ?d kgo:decider/kgo:key ?decider }
  OPTIONAL { ?d kgo:scope ?scope } OPTIONAL { ?d kgo:direction ?direction } OPTIONAL { ?d kgo:date ?date }
  OPTIONAL { ?d kgo:revenueShare ?share } OPTIONAL { ?d kgo:numArticles ?na } OPTIONAL { ?d kgo:numMentions ?nm }
}"""

DECISION_LINKS = _P + """
SELECT ?id ?product ?doc WHERE {
  ?d a kgo:Decision ; kgo:key ?id .
  { ?d kgo:product/kgo:key ?product } UNION { ?d kgo:reportedIn/kgo:docId ?doc }
}"""

STANCES = _P + """
SELECT ?actor ?decision ?stance ?via ?doc ?sentence ?text WHERE {
  ?st a kgo:Stance ; kgo:actor/kgo:key ?actor ; kgo:decision/kgo:key ?decision ; kgo:stance ?stance .
  OPTIONAL { ?st kgo:via ?via } OPTIONAL { ?st kgo:inArticle/kgo:docId ?doc }
  OPTIONAL { ?st kgo:evidence ?s . ?s kgo:text ?text ; kgo:sentenceIndex ?sentence }
}"""


# --------------------------------------------------------------------------
# Values


def period(lexical: str | None) -> tuple[dt.date | None, str | None]:
    """An xsd:date, gYearMonth or gYear as (first day, precision)."""
    if not lexical:
        return None, None
    parts = lexical[:10].split("-")
    try:
        if len(parts) >= 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "day"
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1), "month"
        return dt.date(int(parts[0]), 1, 1), "year"
    except ValueError:
        return None, None


def _int(value) -> int | None:
    return None if value is None else int(value)


def _keys(values) -> str:
    return " ".join(sorted({v for v in values if v}))


def _first(rows: list[dict], *order: str) -> dict:
    """The row first by the columns ``order`` (a missing value last; ``sentence`` as a number)."""
    return min(rows, key=lambda r: tuple(str(r.get(k) or "\uffff") if k != "sentence"
                                         else int(r.get(k) or 0) for k in order))


# --------------------------------------------------------------------------
# Tables


def tables(path: Path | str) -> dict[str, list[dict]]:
    """The six tables of the graph file at ``path``, each a list of rows in a stable order."""
    store = sparql.open_store(Path(path))
    articles = _articles(store)
    by_doc = {a["doc"]: a for a in articles}
    return {"articles": articles, "entities": _entities(store, by_doc), "mentions": _mentions(store, by_doc),
            "acts": _acts(store, by_doc), "decisions": _decisions(store, by_doc), "stances": _stances(store, by_doc)}


def _articles(store) -> list[dict]:
    out: dict[str, dict] = {}
    for r in sparql.select(store, ARTICLES):
        url = r.get("url")
        out.setdefault(r["doc"], {
            "doc": r["doc"], "title": r.get("title"), "date": period(r.get("date"))[0],
            "outlet": r.get("outlet") or (urlsplit(url).hostname if url else None), "url": url,
            "file": r.get("file"), "line": _int(r.get("line")), "script": r.get("script")})
    return [out[k] for k in sorted(out)]


def _entities(store, by_doc: dict) -> list[dict]:
    rank = {c: i for i, c in enumerate(knowledge.CLASSES)}
    docs: dict[str, set] = defaultdict(set)
    for r in sparql.select(store, MENTIONED_IN):
        docs[r["key"]].add(r["doc"])
    out: dict[str, dict] = {}
    for r in sparql.select(store, ENTITIES):
        cls = r["cls"].rsplit("#", 1)[-1]
        row = {"key": r["key"], "class": cls, "label_zh_hans": r.get("hans"), "label_zh_hant": r.get("hant"),
               "label_en": r.get("en"), "articles": _int(r.get("articles")) or 0,
               "mentions": _int(r.get("mentions")) or 0, "source_url": _source_url(docs[r["key"]], by_doc)}
        old = out.get(r["key"])
        if old is None or (rank[cls], row["label_zh_hans"] or "") < (rank[old["class"]], old["label_zh_hans"] or ""):
            out[r["key"]] = row     # an entity typed twice keeps its first class in knowledge.CLASSES
    return [out[k] for k in sorted(out)]


def _mentions(store, by_doc: dict) -> list[dict]:
    rows = [{"doc": r["doc"], "key": r["key"], "sentence": _int(r.get("sentence")), "start": int(r["start"]),
             "end": int(r["end"]), "surface": r.get("surface"), "surface_original": r.get("original"),
             "method": r.get("method"), "url": by_doc.get(r["doc"], {}).get("url")}
            for r in sparql.select(store, MENTIONS)]
    return sorted(rows, key=lambda r: (r["doc"], r["start"], r["end"], r["key"]))


def _acts(store, by_doc: dict) -> list[dict]:
    vocabulary = knowledge.default()
    names = {a.prop: a.name for a in vocabulary.acts.values()}
    signs = {a.prop: a.sign for a in vocabulary.acts.values()}
    sign_words = {int(k): str(v) for k, v in vocabulary.yaml("acts.yaml")["signs"].items()}
    events: dict[tuple, list[dict]] = defaultdict(list)
    for r in sparql.select(store, ACTS):
        r["published"] = str(by_doc.get(r.get("doc"), {}).get("date") or "")
        prop = r["prop"].rsplit("#", 1)[-1]
        events[(r["agent"], prop, r["target"], r.get("date") or "")].append(r)
    out = []
    for (agent, prop, target, stated), rows in events.items():
        first = _first(rows, "published", "doc", "sentence")
        published = sorted(r["published"] for r in rows if r.get("published"))
        when, precision = period(stated or (published[0] if published else None))
        out.append({
            "date": when, "date_precision": precision, "dated": bool(stated), "agent": agent,
            "act": names.get(prop, prop), "target": target, "product": first.get("product"),
            "sign": sign_words.get(signs.get(prop, 0)),
            "confidence": max((float(r["confidence"]) for r in rows if r.get("confidence")), default=None),
            "num_articles": len({r["doc"] for r in rows if r.get("doc")}),
            "num_mentions": len({(r["act"], r.get("sentence")) for r in rows}),
            "articles": _keys(r.get("doc") for r in rows),
            "source_url": _source_url({r.get("doc") for r in rows}, by_doc),
            "doc": first.get("doc"), "sentence": _int(first.get("sentence")), "evidence": first.get("text")})
    # a total order: one event per agent, act, target and stated date
    return sorted(out, key=lambda r: (str(r["date"] or "9999"), r["agent"], r["act"], r["target"], not r["dated"],
                                      r["date_precision"] or ""))


def _source_url(docs, by_doc: dict) -> str | None:
    """The URL of the first article (by publication date) of ``docs`` that has one."""
    dated = sorted((str(by_doc[d]["date"] or "9999"), d) for d in docs if d in by_doc and by_doc[d]["url"])
    return by_doc[dated[0][1]]["url"] if dated else None


def _decisions(store, by_doc: dict) -> list[dict]:
    products: dict[str, set] = defaultdict(set)
    reported: dict[str, set] = defaultdict(set)
    for r in sparql.select(store, DECISION_LINKS):
        products[r["id"]].add(r.get("product"))
        reported[r["id"]].add(r.get("doc"))
    out: dict[str, dict] = {}
    for r in sparql.select(store, DECISIONS):
        when, precision = period(r.get("date"))
        share = float(r["share"]) if r.get("share") else None
        docs = sorted(d for d in reported[r["id"]] if d)
        published = sorted(by_doc[d]["date"] for d in docs if d in by_doc and by_doc[d]["date"])
        out.setdefault(r["id"], {
            "id": r["id"], "label": r.get("label"), "decider": r.get("decider"), "scope": r.get("scope"),
            "direction": r.get("direction"), "products": _keys(products[r["id"]]), "date": when,
            "date_precision": precision, "conditions": f"revenue share {share:.0%}" if share is not None else None,
            "revenue_share": share, "num_articles": _int(r.get("na")), "num_mentions": _int(r.get("nm")),
            "first_reported": published[0] if published else None, "articles": " ".join(docs),
            "source_url": _source_url(docs, by_doc)})
    return [out[k] for k in sorted(out)]


def _stances(store, by_doc: dict) -> list[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in sparql.select(store, STANCES):
        r["published"] = str(by_doc.get(r.get("doc"), {}).get("date") or "")
        groups[(r["decision"], r["actor"], r["stance"])].append(r)
    out = []
    for (decision, actor, stance), rows in sorted(groups.items()):
        docs = sorted({r["doc"] for r in rows if r.get("doc")})
        published = sorted(by_doc[d]["date"] for d in docs if d in by_doc and by_doc[d]["date"])
        first = _first(rows, "published", "doc", "sentence")
        out.append({
            "actor": actor, "decision": decision, "stance": stance, "via": _keys(r.get("via") for r in rows),
            "num_articles": len(docs), "first_date": published[0] if published else None,
            "last_date": published[-1] if published else None, "articles": " ".join(docs),
            "num_evidence": len({(r.get("doc"), r.get("sentence")) for r in rows if r.get("text")}),
            "source_url": _source_url(docs, by_doc), "doc": first.get("doc"),
            "sentence": _int(first.get("sentence")), "evidence": first.get("text")})
    return out


# --------------------------------------------------------------------------
# Output


def frames(path: Path | str, tables_: dict[str, list[dict]] | None = None) -> dict:
    """The tables as pandas DataFrames: dates as datetime64, counts as nullable Int64."""
    import pandas as pd  # local: pandas takes half a second to import; only frames and Parquet need it
    out = {}
    for name, rows in (tables_ or tables(path)).items():
        data = {}
        for col, kind in COLUMNS[name]:
            values = [r[col] for r in rows]
            if kind == "date":
                data[col] = pd.to_datetime(pd.Series(values, dtype="object"))
            elif kind == "int":
                data[col] = pd.array(values, dtype="Int64")
            elif kind == "float":
                data[col] = pd.array(values, dtype="Float64")
            elif kind == "bool":
                data[col] = pd.array(values, dtype="boolean")
            else:
                data[col] = pd.Series(values, dtype="object")
        out[name] = pd.DataFrame(data)
    return out


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(name: str, rows: list[dict]) -> bytes:
    """One table as CSV: a header, UTF-8, LF line ends, ISO dates, missing values empty."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    columns = [c for c, _ in COLUMNS[name]]
    w.writerow(columns)
    for r in rows:
        w.writerow([_csv_cell(r[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def to_parquet(name: str, rows: list[dict]) -> bytes:
    """One table as Parquet with typed columns (date32, int64, float64, bool, string)."""
    import pyarrow as pa          # local: pyarrow is only needed for Parquet
    import pyarrow.parquet as pq
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    table = pa.table({col: pa.array([r[col] for r in rows], type=types[kind]) for col, kind in COLUMNS[name]})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def encode(name: str, rows: list[dict], fmt: str = "csv") -> bytes:
    """One table in ``fmt`` (csv or parquet)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {' or '.join(FORMATS)}")
    return (to_csv if fmt == "csv" else to_parquet)(name, rows)


def write(path: Path | str, out: Path | str, fmt: str = "csv", names: list[str] | None = None) -> dict[str, Path]:
    """Write the tables ``names`` (all six by default) of the graph at ``path`` into the folder
    ``out`` (atomically, one file each: ``articles.csv`` …); returns table -> file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, rows in tables(path).items():
        if names is None or name in names:
            written[name] = out / f"{name}.{fmt}"
            write_atomic(written[name], encode(name, rows, fmt))
    return written
