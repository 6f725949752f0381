"""SHACL validation of a kg graph against ``ontology/shapes.ttl``.

``kg build`` runs it on the graph it is about to write and writes nothing
when it fails; ``kg validate GRAPH`` runs it on any graph file (Turtle, TriG,
N-Quads: named graphs are validated as their union).

Two engines run the same shapes: ``shacl`` (the default; a SHACL engine in
Rust, PyPI package ``shacl``) and ``pyshacl``. Measured on the seeds and
the 36 dev articles (31,916 triples) the first took 0.09 s and pyshacl
8.6 s; on a 1,000-article build pyshacl was 77 % of the build. Both report
the same violations on the broken graphs of tests/test_shacl.py.

Every violation is reported by the *node shape* it belongs to (for a shared
property shape such as ``kgs:key``, the node shape whose target class the
focus node has), the focus node, the property path, the constraint component
that failed and the offending value::

    kgs:MentionShape <https://w3id.org/kg-chips/id/mention/000_…/12-15> kgo:startOffset
        MinCount: Less than 1 values on …
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from kg import knowledge
from kg.rdf.namespaces import KGS, SH

#: the SHACL engines ``validate`` can run; the first is the default
ENGINES = ("shacl", "pyshacl")


class ValidationError(Exception):
    """The graph does not conform; ``report`` holds the violations."""

    def __init__(self, report: "Report"):
        self.report = report
        super().__init__(report.summary())


@dataclass(frozen=True, order=True)
class Violation:
    shape: str          # the node shape, compacted: kgs:MentionShape
    focus: str          # the focus node, as N-Triples term: <https://…>
    path: str           # the property path, compacted (kgo:startOffset), or "" for node-level constraints
    constraint: str     # the constraint component without its suffix: MinCount, Datatype, In, SPARQL …
    value: str          # the offending value node as N-Triples term, or ""
    message: str
    severity: str = "Violation"

    def line(self) -> str:
        parts = [self.shape, self.focus]
        if self.path:
            parts.append(self.path)
        head = " ".join(parts)
        value = f" value {self.value}" if self.value else ""
        return f"{head}: {self.constraint}{value}: {self.message}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    shapes_file: str = ""

    def summary(self) -> str:
        if self.conforms:
            return f"conforms to {self.shapes_file}: {self.triples} triples checked ({self.seconds:.1f} s)"
        return (f"does not conform to {self.shapes_file}: {len(self.violations)} violation(s) "
                f"in {self.triples} triples ({self.seconds:.1f} s)")

    def by_shape(self) -> list[tuple[str, str, int]]:
        """(node shape, constraint, count), most frequent first."""
        c = Counter((v.shape, v.constraint) for v in self.violations)
        return [(s, k, n) for (s, k), n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]

    def format(self, limit: int | None = None) -> str:
        """Human-readable report: summary, counts per shape, then one line per violation."""
        lines = [self.summary()]
        if self.conforms:
            return lines[0] + "\n"
        lines.append("")
        lines += [f"  {n:5d}  {shape} {constraint}" for shape, constraint, n in self.by_shape()]
        lines.append("")
        shown = self.violations if limit is None else self.violations[:limit]
        lines += [v.line() for v in shown]
        if len(shown) < len(self.violations):
            lines.append(f"… and {len(self.violations) - len(shown)} more")
        return "\n".join(lines) + "\n"


def shapes_path() -> Path:
    return knowledge.ontology_dir() / "shapes.ttl"


@lru_cache(maxsize=4)
def _shapes(path: str, mtime_ns: int) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def shapes_graph(path: Path | None = None) -> Graph:
    path = Path(path or shapes_path())
    return _shapes(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _targeting_only(path: str, mtime_ns: int, only: tuple[str, ...]) -> Graph:
    """The shapes with the targets of every node shape but ``only`` removed: the others
    then judge no node (they still apply where a kept shape refers to them)."""
    g = Graph()
    for prefix, ns in _shapes(path, mtime_ns).namespaces():
        g.bind(prefix, ns)
    keep = {KGS[name] for name in only}
    for triple in _shapes(path, mtime_ns):
        if triple[1] != SH.targetClass or triple[0] in keep:
            g.add(triple)
    return g


def _namespaces(shapes: Graph) -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in shapes.namespaces():
        if prefix:
            nm.bind(prefix, ns, override=True, replace=True)
    return nm


def _compact(nm: NamespaceManager, term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return nm.normalizeUri(term)
        except Exception:
            return term.n3()
    return term.n3()


def _path_text(nm: NamespaceManager, shapes: Graph, path) -> str:
    if path is None:
        return ""
    if isinstance(path, BNode):
        inv = shapes.value(path, SH.inversePath)
        if inv is not None:
            return "^" + _compact(nm, inv)
        return "(complex path)"
    return _compact(nm, path)


def _node_shape(shapes: Graph, types, source, focus) -> object:
    """The node shape a result belongs to: the source shape itself, or the node
    shape that uses this property shape and targets the focus node's class
    (``types(focus)``: the classes of a node)."""
    if (source, SH.path, None) not in shapes:
        return source
    owners = sorted(shapes.subjects(SH.property, source), key=str)
    if not owners:
        return source
    types = set(types(focus))
    for owner in owners:
        if set(shapes.objects(owner, SH.targetClass)) & types:
            return owner
    return owners[0]


class _PreparedQueryGraph(Graph):
    """A view of a graph (same store, nothing copied) that parses each SPARQL text
    once. pyshacl runs an sh:sparql constraint once per focus node with the same
    text and $this as an initial binding; rdflib would parse it every time (about
    25 ms a parse, against well under 1 ms to evaluate)."""

    def __init__(self, graph: Graph):
        super().__init__(store=graph.store, identifier=graph.identifier,
                         namespace_manager=graph.namespace_manager)
        self._prepared: dict = {}

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str) and not kwargs.get("initNs") and not kwargs.get("base"):
            from rdflib.plugins.sparql import prepareQuery  # local: rdflib's SPARQL engine (0.1 s) loads with pyshacl
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _as_graph(data) -> Graph:
    """A Graph over ``data``; a Dataset or ConjunctiveGraph becomes the union of its graphs."""
    if getattr(data, "context_aware", False):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return data


def _shown(path: Path) -> str:
    """The shapes file as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def validate(data, shapes_file: Path | None = None, only: list[str] | None = None,
             engine: str = ENGINES[0]) -> Report:
    """Validate ``data``: an rdflib Graph (a Dataset is validated as its union) or
    N-Triples bytes (what the build holds; no rdflib graph is made for the engine
    ``shacl``).

    ``only``: run just these node shapes (local names in the kgs: namespace).
    The data graph is not modified (no inference is run)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    path = Path(shapes_file or shapes_path())
    only_key = tuple(sorted(only)) if only else ()
    if engine == "shacl":
        return _validate_rust(data, path, only_key)
    if isinstance(data, (bytes, bytearray)):
        g = Graph()
        g.parse(data=bytes(data), format="nt")
        data = g
    return _validate_pyshacl(_as_graph(data), path, only_key)


def _shapes_for(path: Path, only: tuple[str, ...]) -> Graph:
    return _targeting_only(str(path), path.stat().st_mtime_ns, only) if only else shapes_graph(path)


@lru_cache(maxsize=8)
def _compiled(path: str, mtime_ns: int, only: tuple[str, ...]):
    """The shapes compiled once by the engine ``shacl`` (a Rust extension)."""
    import shacl  # local: only a validation needs the engine
    text = _shapes_for(Path(path), only).serialize(format="turtle") if only else \
        Path(path).read_text(encoding="utf-8")
    return shacl.Shapes.from_turtle(text, base="https://w3id.org/kg-chips/shapes")


_IRI_IN_PATH = re.compile(r"<([^<>]*)>")


def _types_in(ntriples: bytes):
    """A lookup of the classes of a node (its N-Triples term), read from the lines when first asked:
    only a graph with violations needs it."""
    index: dict[str, list] = {}
    marker = b" <" + str(RDF.type).encode() + b"> <"

    def types(focus) -> list:
        if not index:
            index[""] = []
            for line in ntriples.split(b"\n"):
                cut = line.find(marker)
                if cut > 0:
                    index.setdefault(line[:cut].decode("utf-8", "replace"), []).append(
                        URIRef(line[cut + len(marker):line.rindex(b">")].decode("utf-8", "replace")))
        return index.get(focus, [])
    return types


def _constraint(local: str) -> str:
    """MinCountConstraintComponent -> MinCount."""
    return local[:-len("ConstraintComponent")] if local.endswith("ConstraintComponent") else local


def _term(text: str | None):
    """An IRI of the engine's report (N-Triples syntax) as an rdflib term, else the text."""
    if text and text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    return text


def _validate_rust(data, path: Path, only: tuple[str, ...]) -> Report:
    if isinstance(data, (bytes, bytearray)):
        ntriples = bytes(data)
        triples = ntriples.count(b"\n") + (0 if ntriples.endswith(b"\n") or not ntriples else 1)
    else:
        graph = _as_graph(data)
        ntriples = graph.serialize(format="nt", encoding="utf-8")
        triples = len(graph)
    shapes = _shapes_for(path, only)
    started = time.perf_counter()
    compiled = _compiled(str(path), path.stat().st_mtime_ns, only)
    result = compiled.validate_text(ntriples.decode("utf-8", "surrogatepass"), format="ntriples",
                                    allow_warnings=True)
    seconds = time.perf_counter() - started
    nm = _namespaces(shapes)
    types = _types_in(ntriples)
    violations = set()
    for r in result.results:
        shape = _node_shape(shapes, types, _term(r.root_shape), r.focus_node or "")
        constraint = _constraint(r.component)
        path_text = _IRI_IN_PATH.sub(lambda m: _compact(nm, URIRef(m.group(1))), r.path or "")
        component = "sh:" + constraint[:1].lower() + constraint[1:]
        message = r.message or (f"value {r.value_plain} fails {component}" if r.value else f"fails {component}")
        wanted = shapes.value(_term(r.root_shape), SH["class"]) if constraint == "Class" and not r.message else None
        if wanted is not None:                  # the words pyshacl uses, with the class named
            message = f"Value does not have class {_compact(nm, wanted)}"
        violations.add(Violation(
            shape=_compact(nm, shape) if isinstance(shape, URIRef) else "(anonymous shape)",
            focus=r.focus_node or "", path=path_text,
            constraint=constraint, value=r.value or "", message=message, severity=r.severity or "Violation"))
    return Report(conforms=bool(result.conforms), violations=sorted(violations), triples=triples,
                  seconds=seconds, shapes_file=_shown(path))


def _validate_pyshacl(data: Graph, path: Path, only: tuple[str, ...]) -> Report:
    import pyshacl  # local: pyshacl takes 0.2 s to import; only a validation needs it, not assembly alone

    shapes = _shapes_for(path, only)
    started = time.perf_counter()
    conforms, results, _ = pyshacl.validate(
        _PreparedQueryGraph(data), shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, meta_shacl=False, advanced=False,
        inplace=True, debug=False)
    seconds = time.perf_counter() - started
    nm = _namespaces(shapes)
    violations = set()
    # top-level results only: those of nested shapes (sh:node, sh:or …) hang below them as sh:detail
    for r in results.objects(None, SH.result):
        focus = results.value(r, SH.focusNode)
        source = results.value(r, SH.sourceShape)
        component = results.value(r, SH.sourceConstraintComponent)
        severity = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        message = results.value(r, SH.resultMessage)
        shape = _node_shape(shapes, lambda node: data.objects(node, RDF.type), source, focus)
        constraint = _constraint(_compact(nm, component).split(":")[-1])
        violations.add(Violation(
            shape=_compact(nm, shape) if isinstance(shape, URIRef) else "(anonymous shape)",
            focus=focus.n3() if focus is not None else "",
            path=_path_text(nm, shapes, results.value(r, SH.resultPath)),
            constraint=constraint,
            value=(value.n3() if isinstance(value, (URIRef, Literal)) else "") if value is not None else "",
            message=str(message) if message is not None else "",
            severity=_compact(nm, severity).split(":")[-1] if severity is not None else "Violation"))
    return Report(conforms=bool(conforms), violations=sorted(violations), triples=len(data),
                  seconds=seconds, shapes_file=_shown(path))


def check(data: Graph, shapes_file: Path | None = None, engine: str = ENGINES[0]) -> Report:
    """Validate and raise ValidationError on any violation."""
    report = validate(data, shapes_file, engine=engine)
    if not report.conforms:
        raise ValidationError(report)
    return report
