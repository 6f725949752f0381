"""``kg query``: SPARQL 1.1 over a graph file, locally.

Two engines give the same answers: rdflib (pure Python, exact to the file)
and pyoxigraph (an embedded store written in Rust, many times faster on large
graphs). ``--engine auto`` picks rdflib for files up to
``AUTO_OXIGRAPH_BYTES`` and pyoxigraph above. pyoxigraph's store normalises
lexical forms the way SPARQL servers do: language tags come back lower-cased
(``zh-hans``), integer subtypes as ``xsd:integer``, decimals canonical
(``1.50`` -> ``1.5``); the values are the same. A TriG or N-Quads file is
queried as the union of its named graphs (``GRAPH ?g`` still sees them one by
one).

Each ready query says ``SELECT DISTINCT``: a server asked to query several
named graphs at once (Virtuoso with several ``default-graph-uri``) may repeat
a row once per graph that holds a matching triple.

Parameters are *bindings*, never text: ``--bind fact=<https://…>`` or
``--bind subject=jensen-huang`` is parsed into an RDF term and handed to the
engine (pyoxigraph ``substitutions``, rdflib ``initBindings``); the query text
is not touched, so a value cannot change the query. For a remote endpoint,
:func:`values_clause` writes the same bindings as a SPARQL ``VALUES`` block
built from the parsed terms (each serialised as an escaped N-Triples term).

Ready queries live in ``ontology/queries/NAME.rq``; ``kg query GRAPH NAME``
runs one by name.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import knowledge
from kg.rdf.io import term_from_ox as _from_ox
from kg.rdf.namespaces import MORE_PREFIXES, PREFIXES

ENGINES = ("auto", "rdflib", "oxigraph")
AUTO_OXIGRAPH_BYTES = 5_000_000      # about 50 000 triples of kg Turtle
OUTPUT_FORMATS = ("table", "csv", "json")

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# An IRI as N-Triples allows it (no spaces, quotes, angle brackets, braces, pipes, carets, backquotes, backslashes)
_IRI = re.compile(r'^<([^\x00-\x20<>"{}|^`\\]*)>$')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([^@\s]+)|\^\^<([^>]*)>)?$', re.S)
_GRAPH_SUFFIX = {".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nq": "nquads",
                 ".nquads": "nquads", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


class QueryError(Exception):
    """Bad query, binding or graph file; the message says which."""


# --------------------------------------------------------------------------
# Bindings

def parse_term(text: str):
    """One binding value as an RDF term.

    ``<https://…>`` is an IRI; ``"text"``, ``"text"@zh-Hans`` and
    ``"5"^^<http://www.w3.org/2001/XMLSchema#integer>`` are literals in
    N-Triples syntax; anything else is a plain string literal, taken as it is.
    """
    if text.startswith("<") and text.endswith(">"):
        m = _IRI.match(text)
        if not m or ":" not in m.group(1):
            raise QueryError(f"not an absolute IRI: {text}")
        return URIRef(m.group(1))
    if text.startswith('"'):
        m = _QUOTED.match(text)
        if not m:
            raise QueryError(f"not a literal in N-Triples syntax: {text} "
                             '(use "text", "text"@lang or "text"^^<datatype>, or leave the quotes out)')
        value = _unescape(m.group(1))
        if m.group(2):
            if not _LANG.match(m.group(2)):
                raise QueryError(f"not a language tag: {m.group(2)}")
            return Literal(value, lang=m.group(2))
        if m.group(3):
            if not _IRI.match(f"<{m.group(3)}>"):
                raise QueryError(f"not a datatype IRI: <{m.group(3)}>")
            return Literal(value, datatype=URIRef(m.group(3)))
        return Literal(value)
    return Literal(text)


def _unescape(s: str) -> str:
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])', _unescape_one, s)


def _unescape_one(m: re.Match) -> str:
    c = m.group(1)
    if c[0] in "uU":
        return chr(int(c[1:], 16))
    return {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}[c]


def parse_binding(spec: str) -> tuple[str, object]:
    """``name=value`` (``?name=value`` also accepted) -> (name, term)."""
    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME.match(name):
        raise QueryError(f"--bind {spec!r}: expected NAME=VALUE, e.g. subject=jensen-huang or "
                         "fact=<https://w3id.org/kg-chips/id/…>")
    return name, parse_term(value)


def parse_bindings(specs) -> dict[str, object]:
    out: dict[str, object] = {}
    for spec in specs or ():
        name, term = parse_binding(spec)
        if name in out and out[name] != term:
            raise QueryError(f"?{name} is bound twice")
        out[name] = term
    return out


def check_bindings(query: str, bindings: dict) -> None:
    """Every bound name must be a variable of the query (catches typos that would
    otherwise silently bind nothing)."""
    for name in bindings:
        if not re.search(r"[?$]" + re.escape(name) + r"(?![A-Za-z0-9_])", _strip_comments(query)):
            raise QueryError(f"--bind {name}=…: the query has no variable ?{name}")


def _strip_comments(query: str) -> str:
    """The query without # comments (outside IRIs and strings), for the variable check."""
    out, i, n = [], 0, len(query)
    while i < n:
        c = query[i]
        if c == "<":
            j = query.find(">", i)
            if j != -1 and not re.search(r"\s", query[i:j]):
                out.append(query[i:j + 1])
                i = j + 1
                continue
        if c in "\"'":
            m = re.compile(r"""("{3}|'{3}|"|')""").match(query, i)
            quote = m.group(1)
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            out.append(query[i:j + len(quote)])
            i = j + len(quote)
            continue
        if c == "#":
            while i < n and query[i] != "\n":
                i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def term_n3(term) -> str:
    """A term as an N-Triples/SPARQL token with everything escaped."""
    if isinstance(term, URIRef):
        if not _IRI.match(f"<{term}>"):
            raise QueryError(f"IRI cannot be written in SPARQL: {term!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        s = str(term)
        esc = (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
        esc = "".join(ch if ch >= " " else f"\\u{ord(ch):04X}" for ch in esc)
        if term.language:
            return f'"{esc}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{esc}"^^{term_n3(term.datatype)}'
        return f'"{esc}"'
    raise QueryError(f"cannot bind a {type(term).__name__}")


def values_clause(bindings: dict) -> str:
    """The bindings as one SPARQL ``VALUES`` row, built from the parsed terms (for
    endpoints, which take no bindings over the protocol). Append it to a SELECT
    query: a trailing VALUES block joins with the query's solutions."""
    if not bindings:
        return ""
    names = sorted(bindings)
    return ("\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
            + " ".join(term_n3(bindings[n]) for n in names) + ") }\n")


# --------------------------------------------------------------------------
# Queries

def queries_dir() -> Path:
    return knowledge.ontology_dir() / "queries"


def ready_queries() -> dict[str, Path]:
    """name -> path of every ontology/queries/*.rq."""
    d = queries_dir()
    return {p.stem: p for p in sorted(d.glob("*.rq"))} if d.is_dir() else {}


_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def resolve_query(arg: str, note: Callable[[str], None] = lambda s: None) -> tuple[str, str]:
    """(query text, where it came from): a file, a ready query's name, or the text itself.

    ``ready:NAME`` is always the ready query; a bare NAME is a file of that name when there is
    one (``note`` is then told, as the ready query of that name is not run)."""
    path = Path(arg)
    if len(arg) < 4096 and "\n" not in arg:
        ready = ready_queries()
        if arg.startswith("ready:"):
            if arg[6:] in ready:
                return ready[arg[6:]].read_text(encoding="utf-8"), str(ready[arg[6:]])
            raise QueryError(f"{arg}: no such ready query ({', '.join(ready) or 'none'})")
        try:
            if path.is_file():
                if arg in ready:
                    note(f"{arg}: running the file {path.resolve()}, not the ready query "
                         f"(ready:{arg} runs that)")
                return path.read_text(encoding="utf-8"), str(path)
        except OSError:
            pass
        if arg in ready:
            return ready[arg].read_text(encoding="utf-8"), str(ready[arg])
        if arg.endswith(".rq"):
            raise QueryError(f"{arg}: no such file")
    if _QUERY_FORM.search(_strip_comments(arg)):
        return arg, "command line"
    names = ", ".join(ready_queries()) or "none"
    raise QueryError(f"{arg!r} is neither a query file, a ready query ({names}) nor SPARQL text")


# --------------------------------------------------------------------------
# Results

@dataclass
class Result:
    kind: str                                   # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)   # rdflib terms or None (unbound)
    boolean: bool | None = None
    graph: Graph | None = None


def _norm(term):
    """rdflib term with a simple literal's datatype dropped, so both engines agree."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


def graph_format(path: Path) -> str:
    fmt = _GRAPH_SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown graph format (use .ttl, .trig, .nq, .nt or .jsonld)")
    return fmt


def open_store(path: Path) -> ox.Store:
    """The graph file in an in-memory pyoxigraph store; a TriG or N-Quads file's default graph
    is the merge of its named graphs."""
    fmt = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
           "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML
           }[graph_format(path)]
    store = ox.Store()
    try:
        store.load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as e:
        raise QueryError(f"{path}: cannot load: {e}") from None
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        # The default graph is the RDF merge of the named graphs, as with rdflib and as for
        # the Turtle file: pyoxigraph's use_default_graph_as_union would count a triple once
        # per graph that holds it (an entity is described in every article that mentions it).
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def select(store: ox.Store, query: str) -> list[dict]:
    """A SELECT on a store as rows of plain values: variable -> lexical form (str); unbound
    variables are left out."""
    res = store.query(query)
    variables = list(res.variables)
    return [{v.value: sol[v].value for v in variables if sol[v] is not None} for sol in res]


def _run_oxigraph(path: Path, query: str, bindings: dict) -> Result:
    store = open_store(path)
    try:
        res = store.query(query,
                          substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()})
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except (OSError, ValueError, TypeError) as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(res, ox.QueryBoolean):
        return Result("ask", boolean=bool(res))
    try:   # solutions are computed as they are read (a SERVICE call fails here)
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [tuple(_from_ox(sol[v]) for v in variables) for sol in res]
            return Result("select", variables=variables, rows=rows)
        g = Graph()
        for t in res:
            g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        raise QueryError(f"query failed: {' '.join(str(e).split())[:300]}") from None
    return Result("graph", graph=g)


def _run_rdflib(path: Path, query: str, bindings: dict, allow_network: bool = False) -> Result:
    from pyparsing import ParseException  # local: pyparsing (40 ms) comes with rdflib's SPARQL engine, not with the oxigraph one
    import rdflib.plugins.sparql
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = allow_network   # else FROM <iri> fetches the IRI (or reads a file)
    fmt = graph_format(path)
    try:
        if fmt in ("trig", "nquads"):
            g = Dataset(default_union=True)
            g.parse(path, format=fmt)
        else:
            g = Graph()
            g.parse(path, format=fmt)
    except Exception as e:  # rdflib's parsers raise many types
        raise QueryError(f"{path}: cannot load: {e}") from None
    try:
        res = g.query(query, initBindings=dict(bindings))
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars]
            rows = [tuple(_norm(row[i]) if row[i] is not None else None for i in range(len(variables)))
                    for row in res]
            return Result("select", variables=variables, rows=rows)
        out = Graph()
        for t in res:
            out.add(tuple(_norm(x) for x in t))
        return Result("graph", graph=out)
    except ParseException as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except Exception as e:  # rdflib evaluates lazily and raises plain Exceptions
        raise QueryError(f"query failed: {e}") from None


def pick_engine(path: Path, engine: str = "auto") -> str:
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "oxigraph" if Path(path).stat().st_size > AUTO_OXIGRAPH_BYTES else "rdflib"


_STRINGS_AND_IRIS = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                               r"|'(?:[^'\\\n]|\\.)*'|<[^\s<>]*>", re.S)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE\b", re.I)


def uses_service(query: str) -> bool:
    """True when the query has a SERVICE clause: the word outside comments, strings and IRIs,
    or a ServiceGraphPattern in what rdflib's parser makes of it."""
    if _SERVICE.search(_STRINGS_AND_IRIS.sub(" ", _strip_comments(query))):
        return True
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    try:
        tree = parseQuery(query)
    except Exception:  # not SPARQL that rdflib reads: the engine will say what is wrong
        return False
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            todo += node.values()
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            todo += list(node)
    return False


def run(path: Path, query: str, bindings: dict | None = None, engine: str = "auto",
        allow_network: bool = False) -> Result:
    """Run ``query`` on the graph file at ``path`` with ``bindings`` (name -> rdflib term).

    The query stays on this machine: a SERVICE clause is refused, and FROM names graphs of the
    file (rdflib would fetch its IRI), unless ``allow_network``."""
    bindings = dict(bindings or {})
    check_bindings(query, bindings)
    if not allow_network and uses_service(query):
        raise QueryError("the query has a SERVICE clause, which sends it to another server; "
                         "pass --allow-network to let it")
    if not Path(path).is_file():
        raise QueryError(f"{path}: no such file")
    engine = pick_engine(path, engine)
    if engine == "oxigraph":
        return _run_oxigraph(Path(path), query, bindings)
    return _run_rdflib(Path(path), query, bindings, allow_network)


# --------------------------------------------------------------------------
# Output: SPARQL 1.1 JSON and CSV results formats, and a table for terminals

def json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    if result.kind != "select":
        raise QueryError("JSON results are for SELECT and ASK queries")
    bindings = [{v: json_term(t) for v, t in zip(result.variables, row) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV (text/csv): lexical values, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        w.writerow(["_askResult"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    if result.kind != "select":
        raise QueryError("CSV results are for SELECT and ASK queries")
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buf.getvalue()


TABLE_PREFIXES = {name: {**PREFIXES, **MORE_PREFIXES}[name]
                  for name in ("kgo", "id", "schema", "skos", "prov", "rdf", "rdfs", "xsd")}


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, ns in TABLE_PREFIXES.items():
            if s.startswith(ns) and re.match(r"^[\w./%-]*$", s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())   # one line per row


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def to_table(result: Result) -> str:
    """A Markdown table (IRIs shortened with kgo:, id: … prefixes; lexical values)."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return result.graph.serialize(format="turtle")
    cells = [[_cell(t).replace("|", "\\|") for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["| " + " | ".join(_pad(v, w) for v, w in zip(result.variables, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(_pad(c, w) for c, w in zip(r, widths)) + " |" for r in cells]
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(result: Result, fmt: str) -> str:
    if result.kind == "graph":
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "table":
        return to_table(result)
    raise QueryError(f"unknown output format {fmt!r}; use {', '.join(OUTPUT_FORMATS)}")
