"""Graphs in and out: the format registry, rdflib graphs with kg's prefixes, files
written atomically, graph files loaded (into rdflib, or into pyoxigraph for the views:
a 300-article graph took 78 s to load and query through rdflib)."""
from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.rdf.namespaces import PREFIXES

#: format name (as ``--format`` and file suffixes say it) -> rdflib's name for it
FORMATS = {"ttl": "turtle", "turtle": "turtle", "trig": "trig", "nq": "nquads", "nquads": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt"}
#: file suffix -> format, for reading
SUFFIX_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld"}


def new_graph() -> Graph:
    """An empty rdflib Graph with kg's prefixes bound."""
    g = Graph()
    for prefix in ("kgo", "schema", "prov", "skos"):
        g.bind(prefix, PREFIXES[prefix])
    return g


def serialize(g: Graph, fmt: str = "ttl") -> bytes:
    data = g.serialize(format=FORMATS[fmt])
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)          # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_graph(path: Path) -> Graph:
    """A graph file as one rdflib Graph (named graphs: their union); the format from the suffix."""
    g = Graph()
    fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower(), "turtle")
    if fmt in ("trig", "nquads"):   # named graphs (kg build --format trig): their union
        ds = Dataset()
        ds.parse(path, format=fmt)
        for prefix, ns in ds.namespaces():
            g.bind(prefix, ns, override=False)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    g.parse(path, format=fmt)
    return g


#: file suffix -> pyoxigraph's format, for reading
OX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
              ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}


def term_from_ox(term):
    """A pyoxigraph term as the rdflib term that rdflib's own parse of the file gives."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise ValueError(f"unsupported term in results: {term!r}")


class Solutions(list):
    """The rows of a SELECT, with the names of its variables (``vars``, as rdflib's result has)."""

    def __init__(self, rows, names: list[str]):
        super().__init__(rows)
        self.vars = names


class OxGraph:
    """A graph file in a pyoxigraph store, queried like an rdflib Graph: ``query`` yields
    rows of rdflib terms (None when unbound), so the views' SPARQL runs unchanged. The rows
    come sorted (by their terms' text), so what is built from them in order (networkx
    graphs, hence camps) does not hang on the store's order.

    Language tags come back lower-cased (``zh-hans``): a query that compares ``lang()``
    compares it in lower case."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query(self, text: str) -> "Solutions":
        result = self.store.query(text)
        names = [v.value for v in result.variables]
        seen: dict = {}       # the same term recurs (keys, doc ids, classes): convert it once

        def term(t):
            if t is None:
                return None
            found = seen.get(t)
            if found is None:
                found = seen[t] = term_from_ox(t)
            return found
        rows = [tuple(term(row[n]) for n in names) for row in result]
        rows.sort(key=lambda r: tuple("" if t is None else str(t) for t in r))
        return Solutions(rows, names)

    def __len__(self) -> int:
        return len(self.store)



def ntriples_of(path: Path) -> bytes:
    """A graph file as N-Triples, exact to the file (named graphs: their union). Not through
    a store: pyoxigraph's store gives xsd:nonNegativeInteger back as xsd:integer, which the
    shapes would reject."""
    fmt = OX_FORMATS.get(Path(path).suffix.lower(), ox.RdfFormat.TURTLE)
    if fmt == ox.RdfFormat.N_TRIPLES:
        return Path(path).read_bytes()
    triples = ox.parse(path=str(path), format=fmt)
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in triples}
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def load_store(path: Path) -> OxGraph:
    """A graph file in pyoxigraph (named graphs: their union, as ``load_graph``); the format
    from the suffix."""
    fmt = OX_FORMATS.get(Path(path).suffix.lower(), ox.RdfFormat.TURTLE)
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):   # the RDF merge of the named graphs
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        for name in list(store.named_graphs()):
            store.remove_graph(name)
    return OxGraph(store)


def subject_of(line: bytes) -> bytes:
    """The subject of an N-Triples line."""
    return line[:line.index(b" ")]


# --------------------------------------------------------------------------
# Turtle from sorted N-Triples lines (N-Triples terms are Turtle terms; the
# vocabulary's IRIs are shortened to prefixed names)

RDF_TYPE = b"<" + str(RDF.type).encode() + b">"
_PREFIX_BYTES = sorted(((k.encode(), v.encode()) for k, v in PREFIXES.items()), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(rb"[A-Za-z_][A-Za-z0-9_-]*")


def _short(term: bytes) -> bytes:
    """<https://w3id.org/kg-chips/ontology#agent> -> kgo:agent, where the local name allows it."""
    if term.startswith(b'"') and not term.endswith(b">"):      # a plain or language-tagged literal
        return term
    return _short_cached(term)


@lru_cache(maxsize=1 << 16)
def _short_cached(term: bytes) -> bytes:
    """_short for IRIs and typed literals (their datatypes and the vocabulary recur)."""
    if term.startswith(b"<"):
        iri = term[1:-1]
        for prefix, ns in _PREFIX_BYTES:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                return prefix + b":" + iri[len(ns):]
        return term
    if term.endswith(b">") and b'"^^<' in term:       # a typed literal: shorten its datatype
        cut = term.rindex(b'"^^<') + 3
        return term[:cut] + _short(term[cut:])
    return term


def turtle(lines: list[bytes], prefixes: bool = True, prefixes_only: bool = False) -> bytes:
    """Sorted, distinct N-Triples lines as Turtle: one block per subject, rdf:type first."""
    out = [b"@prefix " + k + b": <" + v + b"> .\n" for k, v in sorted(_PREFIX_BYTES)] if prefixes else []
    if prefixes_only:
        return b"".join(out)
    for subject, group in groupby(lines, key=subject_of):
        cut = len(subject) + 1
        rows = [line[cut:-2].rstrip().split(b" ", 1) for line in group]
        # sorted lines are sorted by predicate, then object: only rdf:type is moved to the front
        typed = [r for r in rows if r[0] == RDF_TYPE]
        if typed and len(typed) < len(rows):
            rows = typed + [r for r in rows if r[0] != RDF_TYPE]
        block = [b"\n", subject]          # one piece per subject in ``out``: fewer objects held
        last = None
        for predicate, obj in rows:
            if predicate == last:
                block.append(b" , ")
            else:
                block += (b" " if last is None else b" ;\n    ", b"a" if predicate == RDF_TYPE else _short(predicate),
                          b" ")
                last = predicate
            block.append(_short(obj))
        block.append(b" .\n")
        out.append(b"".join(block))
    return b"".join(out)
