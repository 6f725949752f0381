"""RDF terms as kg writes them: minted IRIs, and N-Triples terms written directly.

Every IRI is minted from a key, a document id and offsets, never from article
text, so text can only ever reach the graph inside escaped literals. No blank
nodes: the same input serialises to the same bytes.

Each article is written straight as N-Triples lines (:class:`TripleSink`): making an
rdflib term for every value cost more than the rest of the graph stage.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Iterable
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, URIRef
from rdflib.namespace import SKOS

from kg import dates
from kg.rdf.namespaces import DEFAULT_BASE, KGO, SCHEMA


MAX_IRI_PART = 200     # a longer path segment is minted from its start and a hash


@lru_cache(maxsize=65536)
def _quote_part(part: str) -> str:
    """A path segment of a minted IRI: anything but unreserved characters percent-encoded.
    One longer than MAX_IRI_PART, and the dot segments ``.`` and ``..`` (which resolving
    an IRI removes), become their first characters and a hash of the whole."""
    quoted = quote(part, safe="-_.~")
    if len(quoted) > MAX_IRI_PART or part in (".", ".."):
        digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        quoted = f"{quote(part[:16], safe='-_.~')}-{digest}"
    return quoted


@lru_cache(maxsize=65536)
def _minted(base: str, parts: tuple[str, ...], ntriples: bool) -> URIRef | str:
    """An IRI under ``base`` (the same ones recur many times within an article)."""
    iri = base + "/".join(map(_quote_part, parts))
    return "<" + iri + ">" if ntriples else URIRef(iri)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# one character of an IRI after its scheme (RFC 3987: iunreserved, sub-delims, gen-delims,
# pct-encoded); ucschar in its ranges of every plane
_IRI_CHAR = re.compile("%[0-9A-Fa-f]{2}|[A-Za-z0-9._~!$&'()*+,;=:@/?#\\[\\]\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
                       + "".join(f"{chr(p << 16)}-{chr(p << 16 | 0xFFFD)}" for p in range(1, 15)) + "-]")


def check_base(base: str) -> str:
    """``base`` if it is an absolute IRI (RFC 3987) that IRIs can be minted under; else ValueError
    naming the first character that is wrong."""
    m = _SCHEME.match(base)
    if not m:
        raise ValueError("not an absolute IRI (RFC 3987): it must start with a scheme, e.g. https://")
    i = m.end()
    while i < len(base):
        c = _IRI_CHAR.match(base, i)
        if not c:
            what = "bad percent-encoding" if base[i] == "%" else f"{base[i]!r} is not allowed"
            raise ValueError(f"not an absolute IRI (RFC 3987): {what} at character {i + 1}")
        i = c.end()
    if base.count("#") > 1:
        raise ValueError("not an absolute IRI (RFC 3987): more than one '#'")
    return base


class Minter:
    """IRIs for everything kg creates, under one configurable base: rdflib URIRefs,
    or N-Triples terms ``<iri>`` from ``.terms`` (what the per-article writer uses)."""

    def __init__(self, base: str = DEFAULT_BASE, ntriples: bool = False):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.ntriples = ntriples

    @cached_property
    def terms(self) -> "Minter":
        """The same IRIs as N-Triples terms."""
        return self if self.ntriples else Minter(self.base, ntriples=True)

    def _iri(self, *parts: str) -> URIRef | str:
        return _minted(self.base, tuple(map(str, parts)), self.ntriples)

    def entity(self, key: str) -> URIRef:
        return self._iri("entity", key)

    def article(self, doc_id: str) -> URIRef:
        return self._iri("article", doc_id)

    def sentence(self, doc_id: str, index: int) -> URIRef:
        return self._iri("sentence", doc_id, str(index))

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        return self._iri("mention", doc_id, f"{start}-{end}")

    def node(self, kind: str, *parts: str) -> URIRef:
        return self._iri(kind, *parts)


class TripleSink:
    """One article's triples, kept as a set of N-Triples lines.

    process_batch builds each article into one of these rather than an rdflib
    Graph: the triples are only written out, never queried, and making rdflib
    terms and its indexed store cost more than the rest of the graph stage.
    The add_* functions below hand it terms already written as N-Triples
    (``<iri>``, ``"text"@lang``, ``"lexical"^^<datatype>``), made by
    :class:`Vocabulary`, :class:`Minter` (``.terms``) and the literal helpers."""

    def __init__(self):
        self.lines: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(_line(s, p, o))

    def update(self, lines: Iterable[str]) -> None:
        self.lines.update(lines)

    def __contains__(self, triple: tuple[str, str, str]) -> bool:
        return _line(*triple) in self.lines

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> bytes:
        """Sorted N-Triples lines (the same triple always gives the same line)."""
        return "".join(sorted(self.lines)).encode("utf-8")


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


class Vocabulary:
    """The terms of one namespace as N-Triples IRIs, each made on first use and then
    kept as an attribute (``K.agent`` -> ``<https://w3id.org/kg-chips/ontology#agent>``)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = "<" + str(self._namespace[name]) + ">"     # a term the namespace lacks fails here
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


K = Vocabulary(KGO)
S = Vocabulary(SCHEMA)
TYPE = f"<{RDF.type}>"
LABEL = f"<{RDFS.label}>"
PREF_LABEL = f"<{SKOS.prefLabel}>"
ALT_LABEL = f"<{SKOS.altLabel}>"

_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD = {name: f"^^<{XSD[name]}>" for name in ("nonNegativeInteger", "integer", "decimal", "boolean", "date",
                                               "anyURI")}


def text_literal(text: str, lang: str | None = None) -> str:
    """A string literal, with a language tag when given, escaped for N-Triples."""
    lexical = '"' + text.translate(_NT_ESCAPES) + '"'
    return lexical + "@" + lang if lang else lexical


def count_literal(n: int) -> str:
    """An xsd:nonNegativeInteger (offsets, indices, counts)."""
    return f'"{int(n)}"' + _XSD["nonNegativeInteger"]


def typed_literal(value, datatype: str) -> str:
    """A literal of an XSD datatype named by its local name: integer, decimal, boolean, date, anyURI."""
    if datatype == "boolean":
        lexical = "true" if value else "false"
    elif datatype == "decimal":
        lexical = format(Decimal(repr(float(value))), "f")
        lexical = lexical if "." in lexical else lexical + ".0"
    else:
        lexical = str(value)
    return text_literal(lexical) + _XSD[datatype]


@lru_cache(maxsize=1024)
def date_literal(value: str) -> str:
    """An ISO date of any precision, typed as dates.literal types it (xsd:date, gYearMonth, gYear)."""
    return text_literal(value) + f"^^<{dates.literal(value).datatype}>"


# --------------------------------------------------------------------------
# Named graphs (kg build --format trig): one per article, one for the merged decisions


def doc_graph_iri(mint: Minter, doc_id: str) -> URIRef:
    """The named graph holding one article's facts (replace or drop it to update that article)."""
    return mint.node("graph", doc_id)


def decisions_graph_iri(mint: Minter) -> URIRef:
    """The named graph of the decisions merged across articles (three path segments,
    so no document id can mint the same IRI)."""
    return mint.node("graph", "merged", "decisions")
