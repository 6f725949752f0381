"""Graph assembly: the per-article N-Triples of a build become one graph file.

Each article comes out of the pipeline (or the cache) as N-Triples. Holding
them all as rdflib graphs would cost memory and a full parse on every build,
even an incremental one, so here they stay lines of bytes:

1. each article's lines are deduplicated and sorted (an entity is described in
   every article that mentions it, with the same lines);
2. the decisions are merged across articles from each article's records of them
   (kg.records.ReportedDecision, kept in the cache with its lines);
3. SHACL checks each batch of new articles where it was made (in its worker,
   validate_articles), then the merged decisions and that every decision an
   article points to was merged (validate_new; articles taken from the cache
   were checked when they were built, against the same shapes: the cache key
   covers ontology/);
4. the union (or one named graph per article) is written from the sorted
   lines, so the same input gives the same bytes.
"""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from kg.rdf import decisions, validate
from kg.rdf.io import RDF_TYPE, new_graph, subject_of, turtle
from kg.rdf.namespaces import KGO
from kg.rdf.terms import Minter, decisions_graph_iri, doc_graph_iri
from kg.records import ReportedDecision

SHA256 = b"<" + str(KGO.sha256).encode() + b">"     # an article's text: the decision shape counts them
#: new articles validated together in one SHACL run (bounds its memory: about 650,000
#: triples, some 300 MB in the engine)
SHACL_CHUNK = 1000


def lines_of(ntriples: bytes) -> list[bytes]:
    """The sorted, distinct lines of N-Triples as kg and rdflib write it (a triple a
    line, nothing around it; blank lines dropped)."""
    lines = ntriples.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    # what the pipeline and the cache hand over is sorted and distinct already: checked, not redone
    if lines and lines[0] and all(a < b for a, b in zip(lines, islice(lines, 1, None))):
        return lines
    distinct = set(lines)
    distinct.discard(b"")
    return sorted(distinct)


def sorted_distinct(runs: list[bytes]) -> list[bytes]:
    """The sorted, distinct lines of ``runs``, a concatenation of sorted lists (each article's
    lines): Python's sort merges sorted runs in linear passes, four times faster here than
    a set and a sort of it on 2,000 articles."""
    runs.sort()
    return [x for i, x in enumerate(runs) if not i or x != runs[i - 1]]


def _subject_lines(union: list[bytes], subject: bytes) -> range:
    """Where the lines of ``subject`` are in the sorted union (lines sharing a prefix are
    contiguous in sorted order), found by bisection."""
    prefix = subject + b" "
    start = end = bisect.bisect_left(union, prefix)
    while end < len(union) and union[end].startswith(prefix):
        end += 1
    return range(start, end)


def _graph(lines: Iterable[bytes]) -> Graph:
    g = new_graph()
    g.parse(data=b"\n".join(lines) + b"\n", format="nt")
    return g


@dataclass
class Assembly:
    """The build's graph as sorted N-Triples lines: per article, merged decisions, union."""
    docs: list[tuple[str, list[bytes]]] = field(default_factory=list)   # (doc_id, lines), in input order
    decisions: list[bytes] = field(default_factory=list)
    reports: list[bytes] = field(default_factory=list)      # each report's type and kgo:reports link
    union: list[bytes] = field(default_factory=list)
    seconds: float = 0.0

    def rdflib_graph(self) -> Graph:
        return _graph(self.union)

    def decisions_graph(self) -> Graph:
        return _graph(self.decisions)

    def serialize(self, fmt: str, mint: Minter) -> bytes:
        """The graph file's bytes: ttl, nt, jsonld (the union) or trig, nq (named graphs)."""
        fmt = {"turtle": "ttl", "nquads": "nq", "json-ld": "jsonld"}.get(fmt, fmt)
        named = [(doc_graph_iri(mint, doc_id), lines) for doc_id, lines in self.docs]
        named.append((decisions_graph_iri(mint), self.decisions))
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


def assemble(docs: Iterable[tuple[str, bytes, Iterable[ReportedDecision]]], mint: Minter) -> Assembly:
    """Articles in input order, each as (doc_id, its N-Triples, the decisions it reports)
    → the build's Assembly, the decisions merged across the articles."""
    started = time.perf_counter()
    out = Assembly()
    every: list[bytes] = []
    accounts: list[ReportedDecision] = []
    for doc_id, nt, reported in docs:
        lines = lines_of(nt)
        out.docs.append((doc_id, lines))
        every += lines
        accounts += reported
    out.decisions = lines_of(decisions.decision_triples(decisions.merge(accounts, mint), mint).ntriples())
    every += out.decisions
    out.union = sorted_distinct(every)
    out.reports = lines_of(decisions.report_links(accounts, mint).ntriples())
    out.seconds = time.perf_counter() - started
    return out


# --------------------------------------------------------------------------
# SHACL on what is new


#: the object of each line whose object is an IRI, found in the joined lines at once (a
#: function call per line cost seconds on 1,000 articles)
_OBJECT_IRI = re.compile(rb" (<[^<>\s\"]*>) \.$", re.M)


def _with_neighbours(lines: list[bytes], union: list[bytes], types_only: bool = False) -> tuple[list[bytes], set[bytes]]:
    """``lines`` plus the lines of the nodes they point to but do not describe (their
    neighbours, described elsewhere in the build), so that class and path constraints
    can be checked; returns the lines and the neighbours' subjects."""
    own = {x.split(b" ", 1)[0] for x in lines}
    found = {o: _subject_lines(union, o) for o in set(_OBJECT_IRI.findall(b"\n".join(lines))) - own}
    neighbours = {o for o, where in found.items() if where}
    extra = [union[i] for n in sorted(neighbours) for i in found[n]
             if not types_only or union[i].split(b" ", 2)[1] == RDF_TYPE]
    return lines + extra, neighbours


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


#: the shapes of the merged decision nodes
DECISION_SHAPES = ["DecisionShape", "ExportDecisionShape", "ImportDecisionShape", "OtherDecisionShape"]


DECISION_CLASS = b"<" + str(KGO.Decision).encode() + b">"


def object_iris(ntriples: bytes) -> set[bytes]:
    """The IRIs that are objects of N-Triples lines."""
    return set(_OBJECT_IRI.findall(ntriples))


def validate_articles(docs: list[tuple[str, bytes]], decision_prefix: bytes, shapes_file=None,
                      engine: str = validate.ENGINES[0]
                      ) -> tuple[dict[str, str], dict[str, frozenset], float]:
    """SHACL on a batch of articles where they were made (in the worker, in parallel, on a
    small graph): doc id -> the first violation of each article whose own facts violate the
    shapes; doc id -> the decision nodes each points to; the engine's seconds. Decisions are
    merged at the end: here each stands in as a node typed kgo:Decision and is not judged;
    validate_new checks that every one of them is a merged decision."""
    per_doc = [(doc_id, lines_of(nt)) for doc_id, nt in docs]
    lines = sorted_distinct([x for _, own in per_doc for x in own])
    own_subjects = {x.split(b" ", 1)[0] for x in lines}
    links = {doc_id: frozenset(o for o in object_iris(nt) if o.startswith(decision_prefix)) - own_subjects
             for doc_id, nt in docs}
    pointed = frozenset().union(*links.values())
    stubs = [d + b" " + RDF_TYPE + b" " + DECISION_CLASS + b" ." for d in sorted(pointed)]
    report = validate.validate(b"\n".join(lines + stubs) + b"\n", shapes_file, engine=engine)
    ignored = {d.decode() for d in pointed}
    kept = [v for v in report.violations if v.focus not in ignored]
    blamed = violating_docs(per_doc, kept)
    first = {doc_id: next(v for v in kept if v.focus in foci).line() for doc_id, foci in blamed.items()}
    return first, links, report.seconds


def violating_docs(docs: list[tuple[str, list[bytes]]], violations) -> dict[str, set[str]]:
    """doc id -> the focus nodes of the violations its own lines cause: the articles that
    state the offending value about the node (an entity is described by every article
    that names it; the one with the bad triple is to blame), else that describe the node."""
    out: dict[str, set[str]] = {}
    for v in violations:
        focus = v.focus.encode()
        having = [(doc_id, lines) for doc_id, lines in docs
                  if any(x.startswith(focus + b" ") for x in lines)]
        if v.value:
            value = v.value.encode()
            stating = [(d, ls) for d, ls in having
                       if any(x.startswith(focus + b" ") and x.rstrip(b" .").endswith(value) for x in ls)]
            having = stating or having
        for doc_id, _ in having:
            out.setdefault(doc_id, set()).add(v.focus)
    return out


def _validate_run(job: tuple) -> validate.Report:
    """One SHACL run of validate_new: (N-Triples, shapes file, only these shapes, engine)."""
    return validate.validate(*job)


def validate_new(assembly: Assembly, new_doc_ids: set[str], shapes_file=None, chunk: int = SHACL_CHUNK,
                 engine: str = validate.ENGINES[0], map_=map, decision_links: set[bytes] | None = None):
    """SHACL on the new articles (a chunk of them at a time, with the nodes they point
    to as context) and on the merged decisions (with the types of what they point to
    and the links from their reports): one Report. Context nodes are not judged here:
    they are checked with their own article.

    ``decision_links``: the new articles were validated where they were made
    (validate_articles) and point to these decision nodes; then only the merged decisions
    are validated here, and the articles again (in chunks) only if one of the nodes they
    point to is not a merged decision."""
    new = [lines for doc_id, lines in assembly.docs if doc_id in new_doc_ids]
    total = validate.Report(conforms=True)
    runs = []
    checked = 0
    if decision_links is not None and decision_links <= {
            subject_of(x) for x in assembly.decisions if x.split(b" ", 2)[1:] == [RDF_TYPE, DECISION_CLASS + b" ."]}:
        checked = len(assembly.union) - len(assembly.decisions) if len(new) == len(assembly.docs) else \
            len(sorted_distinct([x for lines in new for x in lines]))
        new = []
    for part in _chunks(new, chunk):
        group = sorted_distinct([x for lines in part for x in lines])
        lines, neighbours = _with_neighbours(group, assembly.union)
        runs.append((group, lines, neighbours, None))
    links = assembly.reports
    lines, neighbours = _with_neighbours(assembly.decisions + links, assembly.union, types_only=True)
    texts = [x for x in assembly.union if SHA256 in x and x.split(b" ", 2)[1] == SHA256]   # for numArticles
    runs.append((assembly.decisions, sorted(set(lines + texts)), neighbours | {subject_of(x) for x in links},
                 DECISION_SHAPES))
    total.triples = checked + sum(len(group) for group, *_ in runs)
    # the runs are independent: ``map_`` may be a worker pool's (Pool.imap keeps their order);
    # with one chunk of articles, sending it to a worker costs more than it saves (measured)
    if len(runs) <= 2:
        map_ = map
    jobs = ((b"\n".join(lines) + b"\n", shapes_file, only, engine) for _, lines, _, only in runs)
    for (group, lines, context, only), report in zip(runs, map_(_validate_run, jobs)):
        ignored = {n.decode() for n in context}
        kept = [v for v in report.violations if v.focus not in ignored]
        total.violations += kept
        total.conforms = total.conforms and not kept
        total.seconds += report.seconds
        total.shapes_file = report.shapes_file
    total.violations = sorted(set(total.violations))
    return total
