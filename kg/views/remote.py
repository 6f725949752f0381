"""``kg query --endpoint``: a query run by a SPARQL server (SPARQL 1.1 Protocol).

The query is POSTed as ``application/x-www-form-urlencoded`` (``query=``, and one
``default-graph-uri=`` per ``--graph``), which Fuseki (``/DATASET/sparql``), Oxigraph
server (``/query``), GraphDB (``/repositories/REPO``) and Virtuoso (``/sparql``) all take.
The protocol carries no bindings, so ``--bind`` values become a trailing ``VALUES`` block
built from the parsed terms (:func:`kg.views.query.values_clause`, each term escaped):
the query text itself is never edited, and a value cannot change the query. SELECT and
ASK answers are read as SPARQL JSON results, CONSTRUCT and DESCRIBE as Turtle or
N-Triples, into the same :class:`kg.views.query.Result` a local query gives, so every
output format works the same. Redirects are not followed (the query and the credentials
would go on to another host).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.views import push as http
from kg.views import query as sparql

ACCEPT = ("application/sparql-results+json, text/turtle;q=0.9, application/n-triples;q=0.8, "
          "application/rdf+xml;q=0.5")
NOT_FOUND = "is this the SPARQL query endpoint? Virtuoso: /sparql; Fuseki: /DATASET/sparql; Oxigraph: /query"


def _term(cell: dict):
    """A SPARQL JSON results term as an rdflib term (Virtuoso's old ``typed-literal`` too)."""
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if cell.get("xml:lang"):
        return Literal(value, lang=cell["xml:lang"])
    datatype = cell.get("datatype")
    if datatype and datatype != str(XSD.string):
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def parse_json(body: bytes) -> sparql.Result:
    """SPARQL 1.1 Query Results JSON as a Result."""
    try:
        doc = json.loads(body.decode("utf-8"))
        if "boolean" in doc:
            return sparql.Result("ask", boolean=bool(doc["boolean"]))
        variables = list(doc["head"]["vars"])
        rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise sparql.QueryError(f"the endpoint's answer is not SPARQL JSON results: {e}") from None
    return sparql.Result("select", variables=variables, rows=rows)


def parse_graph(body: bytes, content_type: str) -> sparql.Result:
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt",
           "application/rdf+xml": "xml"}.get(content_type.split(";")[0].strip().lower(), "turtle")
    g = Graph()
    try:
        g.parse(data=body.decode("utf-8"), format=fmt)
    except Exception as e:  # rdflib's parsers raise many types
        raise sparql.QueryError(f"the endpoint's answer is not RDF ({content_type or 'no type'}): {e}") from None
    return sparql.Result("graph", graph=g)


def run(endpoint: str, query: str, bindings: dict | None = None, graphs: list[str] | tuple = (),
        user: str | None = None, password: str | None = None, auth: str = "auto",
        timeout: float = 120.0) -> sparql.Result:
    """Run ``query`` at ``endpoint`` with ``bindings`` (name -> rdflib term) as a VALUES block,
    on the default graphs ``graphs`` (the server's default dataset when empty)."""
    bindings = dict(bindings or {})
    sparql.check_bindings(query, bindings)
    try:
        endpoint, user, password = http.credentials(endpoint, user, password)
    except http.PushError as e:
        raise sparql.QueryError(str(e)) from None
    if auth not in http.AUTH_SCHEMES:
        raise sparql.QueryError(f"--auth {auth!r}: use one of {', '.join(http.AUTH_SCHEMES)}")
    params = [("query", query + sparql.values_clause(bindings))]
    params += [("default-graph-uri", str(sparql.parse_term(f"<{g}>"))) for g in graphs]
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(params).encode("utf-8"), method="POST",
                                 headers={"Accept": ACCEPT,
                                          "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    shown = http.redact(endpoint)
    try:
        status, e, body, content_type = http.call(req, user, password, auth, timeout)
    except urllib.error.URLError as e:
        raise sparql.QueryError(f"POST {shown}: cannot connect: {e.reason}") from None
    except (OSError, ValueError) as e:   # timeouts, bad URLs
        raise sparql.QueryError(f"POST {shown}: {e}") from None
    if e is not None:
        raise sparql.QueryError(http.http_failure(f"POST {shown}", e, body, user, NOT_FOUND, sent="a query"))
    if "json" in content_type.lower():
        return parse_json(body)
    return parse_graph(body, content_type)
