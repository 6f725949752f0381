"""Graph assembly: the per-article N-Triples of a build become one graph file.

Each article comes out of the pipeline (or the cache) as N-Triples. Holding
them all as rdflib graphs would cost memory and a full parse on every build,
even an incremental one, so here they stay lines of bytes:

1. each article's lines are deduplicated and sorted (an entity is described in
   every article that mentions it, with the same lines);
2. the decisions are merged across articles from the decision reports' lines;
3. SHACL checks the articles that are new in this build, a chunk at a time,
   plus the merged decisions (articles taken from the cache were checked when
   they were built, against the same shapes: the cache key covers ontology/);
4. the union (or one named graph per article) is written from the sorted
   lines, so the same input gives the same bytes.
"""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from kg import graph as rdf
from kg import validate

REPORTS = b"<" + str(rdf.KGO.reports).encode() + b">"
SHA256 = b"<" + str(rdf.KGO.sha256).encode() + b">"     # an article's text, for numArticles
#: new articles validated together in one SHACL run (bounds its memory)
SHACL_CHUNK = 100
PREFIXES = {"kgo": str(rdf.KGO), "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": str(rdf.SCHEMA),
            "skos": "http://www.w3.org/2004/02/skos/core#", "prov": str(rdf.PROV),
            "xsd": "http://www.w3.org/2001/XMLSchema#"}


def lines_of(ntriples: bytes) -> list[bytes]:
    """The sorted, distinct lines of N-Triples as kg and rdflib write it (a triple a
    line, nothing around it; blank lines dropped)."""
    lines = set(ntriples.split(b"\n"))
    lines.discard(b"")
    return sorted(lines)


def subject_of(line: bytes) -> bytes:
    return line[:line.index(b" ")]


def _subject_lines(union: list[bytes], subject: bytes) -> range:
    """Where the lines of ``subject`` are in the sorted union (lines sharing a prefix are
    contiguous in sorted order), found by bisection."""
    prefix = subject + b" "
    start = end = bisect.bisect_left(union, prefix)
    while end < len(union) and union[end].startswith(prefix):
        end += 1
    return range(start, end)


def object_iri(line: bytes) -> bytes | None:
    """The object of an N-Triples line when it is an IRI, else None."""
    rest = line.split(b" ", 2)[2]
    return rest[:rest.index(b">") + 1] if rest.startswith(b"<") else None


def report_lines(lines: list[bytes]) -> list[bytes]:
    """The lines describing decision reports (subjects with a kgo:reports line), from
    sorted lines."""
    reports = sorted({subject_of(x) for x in lines if REPORTS in x and x.split(b" ", 2)[1] == REPORTS})
    return [lines[i] for r in reports for i in _subject_lines(lines, r)]


def _graph(lines: Iterable[bytes]) -> Graph:
    g = rdf.new_graph()
    g.parse(data=b"\n".join(lines) + b"\n", format="nt")
    return g


@dataclass
class Assembly:
    """The build's graph as sorted N-Triples lines: per article, merged decisions, union."""
    docs: list[tuple[str, list[bytes]]] = field(default_factory=list)   # (doc_id, lines), in input order
    decisions: list[bytes] = field(default_factory=list)
    reports: list[bytes] = field(default_factory=list)      # the lines of the decision reports
    union: list[bytes] = field(default_factory=list)
    seconds: float = 0.0

    def rdflib_graph(self) -> Graph:
        return _graph(self.union)

    def decisions_graph(self) -> Graph:
        return _graph(self.decisions)

    def serialize(self, fmt: str, mint: rdf.Minter) -> bytes:
        """The graph file's bytes: ttl, nt, jsonld (the union) or trig, nq (named graphs)."""
        fmt = {"turtle": "ttl", "nquads": "nq", "json-ld": "jsonld"}.get(fmt, fmt)
        named = [(rdf.doc_graph_iri(mint, doc_id), lines) for doc_id, lines in self.docs]
        named.append((rdf.decisions_graph_iri(mint), self.decisions))
        if fmt == "ttl":
            return turtle(self.union)
        if fmt == "nt":
            return b"".join(line + b"\n" for line in self.union)
        if fmt == "trig":
            return turtle([], prefixes_only=True) + b"".join(
                b"\n<" + str(iri).encode() + b"> {\n" + turtle(lines, prefixes=False) + b"}\n"
                for iri, lines in named)
        if fmt == "nq":
            return b"".join(line[:-1] + b"<" + str(iri).encode() + b"> .\n" for iri, lines in named for line in lines)
        if fmt == "jsonld":
            return ox.serialize(ox.parse(b"\n".join(self.union), format=ox.RdfFormat.N_TRIPLES),
                                format=ox.RdfFormat.JSON_LD)
        raise ValueError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------
# Turtle from sorted N-Triples lines (N-Triples terms are Turtle terms; the
# vocabulary's IRIs are shortened to prefixed names)

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
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


def assemble(docs: Iterable[tuple[str, bytes]], mint: rdf.Minter) -> Assembly:
    """Articles' N-Triples (doc_id, bytes), in input order → the build's Assembly."""
    started = time.perf_counter()
    out = Assembly()
    union: set[bytes] = set()
    reports: list[bytes] = []
    texts: list[bytes] = []
    for doc_id, nt in docs:
        lines = lines_of(nt)
        out.docs.append((doc_id, lines))
        union.update(lines)
        reports += report_lines(lines)
        texts += [x for x in lines if x.split(b" ", 2)[1] == SHA256]
    merged = rdf.new_graph()
    rdf.add_decisions(merged, mint, _graph(reports + texts))
    out.decisions = lines_of(rdf.serialize(merged, "nt"))
    union.update(out.decisions)
    out.union = sorted(union)
    out.reports = sorted(set(reports))
    out.seconds = time.perf_counter() - started
    return out


# --------------------------------------------------------------------------
# SHACL on what is new


def _with_neighbours(lines: list[bytes], union: list[bytes], types_only: bool = False) -> tuple[list[bytes], set[bytes]]:
    """``lines`` plus the lines of the nodes they point to but do not describe (their
    neighbours, described elsewhere in the build), so that class and path constraints
    can be checked; returns the lines and the neighbours' subjects."""
    own = {subject_of(x) for x in lines}
    found = {o: _subject_lines(union, o) for o in set(map(object_iri, lines)) - own - {None}}
    neighbours = {o for o, where in found.items() if where}
    extra = [union[i] for n in sorted(neighbours) for i in found[n]
             if not types_only or union[i].split(b" ", 2)[1] == RDF_TYPE]
    return lines + extra, neighbours


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


#: the shapes of the merged decision nodes
DECISION_SHAPES = ["DecisionShape", "ExportDecisionShape", "ImportDecisionShape", "OtherDecisionShape"]


def validate_new(assembly: Assembly, new_doc_ids: set[str], shapes_file=None, chunk: int = SHACL_CHUNK):
    """SHACL on the new articles (a chunk of them at a time, with the nodes they point
    to as context) and on the merged decisions (with the types of what they point to
    and the links from their reports): one Report. Context nodes are not judged here:
    they are checked with their own article."""
    new = [lines for doc_id, lines in assembly.docs if doc_id in new_doc_ids]
    total = validate.Report(conforms=True)
    runs = []
    for part in _chunks(new, chunk):
        group = sorted({x for lines in part for x in lines})
        lines, neighbours = _with_neighbours(group, assembly.union)
        runs.append((group, lines, neighbours, None))
    links = [x for x in assembly.reports if x.split(b" ", 2)[1] in (RDF_TYPE, REPORTS)]
    lines, neighbours = _with_neighbours(assembly.decisions + links, assembly.union, types_only=True)
    texts = [x for x in assembly.union if SHA256 in x and x.split(b" ", 2)[1] == SHA256]   # for numArticles
    runs.append((assembly.decisions, sorted(set(lines + texts)), neighbours | {subject_of(x) for x in links},
                 DECISION_SHAPES))
    total.triples = sum(len(group) for group, *_ in runs)
    for group, lines, context, only in runs:
        report = validate.validate(_graph(lines), shapes_file, only=only)
        ignored = {n.decode() for n in context}
        kept = [v for v in report.violations if v.focus not in ignored]
        total.violations += kept
        total.conforms = total.conforms and not kept
        total.seconds += report.seconds
        total.shapes_file = report.shapes_file
    total.violations = sorted(set(total.violations))
    return total
