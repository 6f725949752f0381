"""Compare SPARQL 1.1 JSON results from different engines (test helper, no pytest).

Engines agree on values but not always on lexical forms: Virtuoso and
pyoxigraph lower-case language tags (RDF tags are case-insensitive),
canonicalise numbers ("1.50" -> "1.5", nonNegativeInteger -> integer or int),
Virtuoso writes booleans as 1/0 and marks typed values "typed-literal". This
normalises exactly those differences and nothing else: IRIs, strings, dates
and numbers are compared by value.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "decimal", "double", "float",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def normal_term(b: dict | None):
    """One JSON results binding as a comparable tuple (None for unbound)."""
    if b is None:
        return None
    kind = b["type"]
    value = b["value"]
    if kind == "uri":
        return ("uri", value)
    if kind == "bnode":
        return ("bnode",)
    lang = b.get("xml:lang")
    if lang:
        return ("lit", value, lang.lower())
    dt = b.get("datatype")
    if dt is None or dt == XSD + "string":
        return ("lit", value, "")
    if dt in NUMERIC:
        try:
            return ("num", Decimal(value).normalize())
        except InvalidOperation:
            return ("bad-number", value)
    if dt == XSD + "boolean":
        return ("bool", value.strip().lower() in ("true", "1"))
    return ("typed", value, dt)


def normal_results(doc: dict) -> tuple[list[str], list[tuple]]:
    """(variables, rows in result order) of a SPARQL JSON results document."""
    variables = list(doc["head"]["vars"])
    rows = [tuple(normal_term(row.get(v)) for v in variables) for row in doc["results"]["bindings"]]
    return variables, rows
