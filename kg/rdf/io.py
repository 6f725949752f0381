"""Graphs in and out: the format registry, rdflib graphs with kg's prefixes, files
written atomically, graph files loaded."""
from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from rdflib import RDF, Dataset, Graph

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
        rows = [line[len(subject) + 1:-2].rstrip().split(b" ", 1) for line in group]
        rows.sort(key=lambda r: (r[0] != RDF_TYPE, r[0]))
        out.append(b"\n" + subject)
        for n, (predicate, objects) in enumerate(groupby(rows, key=lambda r: r[0])):
            p = b"a" if predicate == RDF_TYPE else _short(predicate)
            out.append((b" " if n == 0 else b" ;\n    ") + p + b" " + b" , ".join(_short(o) for _, o in objects))
        out.append(b" .\n")
    return b"".join(out)
