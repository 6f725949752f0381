"""Stage 4 — graph: analyses to RDF under the kg ontology.

Every IRI is minted from a key, a document id and offsets, never from article
text, so text can only ever reach the graph inside escaped literals. No blank
nodes: the same input serialises to the same bytes.

Each article is written straight as N-Triples lines (TripleSink): making an
rdflib term for every value cost more than the rest of the stage. The merged
decisions (add_decisions) are few and are built in an rdflib Graph.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from kg import dates, knowledge

KGO = Namespace("https://w3id.org/kg-chips/ontology#")
SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "https://w3id.org/kg-chips/id/"

FORMATS = {"ttl": "turtle", "turtle": "turtle", "trig": "trig", "nq": "nquads", "nquads": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt"}


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


def new_graph() -> Graph:
    g = Graph()
    g.bind("kgo", KGO)
    g.bind("schema", SCHEMA)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    return g


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

    def __init__(self, namespace: str):
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = "<" + self._namespace + name + ">"
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


def add_entity(g: TripleSink, mint: Minter, key: str, cls: str, label: str | None = None) -> str:
    """An entity with its class and labels (catalog labels where the catalog knows it)."""
    g.update(_entity_triples(mint.base, key, cls, label))
    return mint.terms.entity(key)


@lru_cache(maxsize=4096)
def _entity_triples(base: str, key: str, cls: str, label: str | None) -> tuple[str, ...]:
    """add_entity's lines, made once per entity: every article that mentions it repeats them."""
    mint = Minter(base).terms
    g = TripleSink()
    iri = mint.entity(key)
    g.add(iri, TYPE, K[cls])
    g.add(iri, K.key, text_literal(key))
    ent = knowledge.catalog().entities.get(key)
    if ent:
        g.add(iri, K.catalogued, typed_literal(True, "boolean"))
        for lang, text in sorted(ent.labels.items()):
            g.add(iri, PREF_LABEL, text_literal(text, lang))
        g.add(iri, LABEL, text_literal(ent.labels.get("en") or ent.label_zh))
        for alias in sorted(set(ent.aliases + ent.nicknames) - set(ent.labels.values())):
            g.add(iri, ALT_LABEL, text_literal(alias, _lang_of(alias)))
        if ent.produced_by:
            g.add(iri, K.madeBy, mint.entity(ent.produced_by))
        for n, post in enumerate(ent.posts):
            p = mint.node("post", key, str(n))
            g.add(iri, K.holdsPost, p)
            g.add(p, TYPE, K.Post)
            g.add(p, K.postTitle, text_literal(str(post.get("title", "")), "zh-Hans"))
            if post.get("org"):
                g.add(p, K.postIn, mint.entity(post["org"]))
            for field, prop in (("from", S.startDate), ("to", S.endDate)):
                if post.get(field):
                    g.add(p, prop, date_literal(str(post[field])))
    else:
        g.add(iri, K.catalogued, typed_literal(False, "boolean"))
        if label:
            g.add(iri, PREF_LABEL, text_literal(label, _lang_of(label)))
            g.add(iri, LABEL, text_literal(label))
    return tuple(sorted(g.lines))


def _lang_of(text: str) -> str:
    return "en" if all(ord(c) < 0x3000 for c in text) else "zh-Hans"


def counted_entities(analysis, extra: set[str] = frozenset()) -> set[str]:
    """Entities the article counts as mentioning.

    Countries count where they act or are acted on (``extra``: keys that are
    arguments of acts) or where they stand as a country in two sentences or
    more. A country that only modifies a noun (美国企业, 中国籍, 英国《金融时报》,
    美国总统) or names a place (在韩国, 运往中国) does not stand as one
    (ontology/names.yaml: country_modifier_heads, country_place_markers).
    """
    text = analysis.article.text
    heads, markers = _country_rules()
    starts = {m.start for m in analysis.mentions}
    sentences: dict[str, set[int]] = {}
    for m in analysis.mentions:
        if m.cls == "Country" and not _stands_as_country(text, m, starts, heads, markers):
            continue
        sentences.setdefault(m.key, set()).add(m.sent)
    keep = set()
    for m in analysis.mentions:
        if m.cls == "Country" and m.key not in extra and len(sentences.get(m.key, ())) < 2:
            continue
        keep.add(m.key)
    return keep


@lru_cache(maxsize=1)
def _country_rules() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rules = knowledge.name_rules()
    heads = set(rules.get("country_modifier_heads") or []) | set(knowledge.catalog().titles)
    markers = set(rules.get("country_place_markers") or [])
    return tuple(sorted(heads, key=len, reverse=True)), tuple(sorted(markers, key=len, reverse=True))


def _stands_as_country(text: str, m, starts: set[int], heads, markers) -> bool:
    """False for a country mention that modifies what follows it or names a place."""
    after = text[m.end:m.end + 12]
    if m.end in starts or after.startswith("《") or after.startswith(heads):
        return False
    return not text[max(0, m.start - 4):m.start].endswith(markers)


def add_article(g: TripleSink, mint: Minter, analysis, extra_keys: set[str] = frozenset()) -> str:
    """The article, its sentences, its mentions with offsets into the original."""
    art = analysis.article
    terms = mint.terms
    a = terms.article(art.doc_id)
    g.add(a, TYPE, K.Article)
    g.add(a, K.docId, text_literal(art.doc_id))
    g.add(a, K.sourceFile, text_literal(Path(art.source).name))
    if art.line is not None:
        g.add(a, K.sourceLine, typed_literal(art.line, "integer"))
    if art.title:
        g.add(a, S.headline, text_literal(art.title, "zh-Hans"))
    if art.date:
        g.add(a, S.datePublished, typed_literal(art.date, "date"))
        g.add(a, K.dateSource, text_literal(art.date_source))
    if art.url:
        g.add(a, S.url, typed_literal(art.url, "anyURI"))
    g.add(a, K.encoding, text_literal(art.encoding))
    g.add(a, K.script, text_literal("zh-Hant" if art.traditional else "zh-Hans"))
    g.add(a, K.sha256, text_literal(hashlib.sha256(art.original.encode("utf-8", "surrogatepass")).hexdigest()))

    used_sentences = {m.sent for m in analysis.mentions + analysis.pronouns}
    for idx in sorted(used_sentences):
        add_sentence(g, mint, analysis, idx)

    counted = counted_entities(analysis, extra_keys)
    first_mention = {}
    for m in analysis.mentions:
        first_mention.setdefault(m.key, m)
    for key in sorted(counted):
        new = analysis.new_entities.get(key)
        add_entity(g, mint, key, first_mention[key].cls, new.label if new else None)
        g.add(a, S.mentions, terms.entity(key))
    for m in analysis.mentions + analysis.pronouns:
        if m.key not in counted and m.how != "pronoun":
            continue
        if m.key not in counted:
            add_entity(g, mint, m.key, m.cls)
        start, end = art.original_span(m.start, m.end)
        node = terms.mention(art.doc_id, start, end)
        g.add(node, TYPE, K.Mention)
        g.add(node, K.mentionOf, terms.entity(m.key))
        g.add(node, K.inArticle, a)
        g.add(node, K.inSentence, terms.sentence(art.doc_id, m.sent))
        g.add(node, K.surface, text_literal(m.surface, "zh-Hans"))
        g.add(node, K.surfaceOriginal, text_literal(art.original[start:end]))
        g.add(node, K.startOffset, count_literal(start))
        g.add(node, K.endOffset, count_literal(end))
        g.add(node, K.method, text_literal(m.how))
    return a


def add_sentence(g: TripleSink, mint: Minter, analysis, idx: int) -> str:
    art = analysis.article
    node = mint.terms.sentence(art.doc_id, idx)
    if (node, TYPE, K.Sentence) in g:        # already added (sentences are evidence many times over)
        return node
    sent = analysis.sentences[idx]
    start, end = art.original_span(sent.start, sent.end)
    g.add(node, TYPE, K.Sentence)
    g.add(node, K.inArticle, mint.terms.article(art.doc_id))
    g.add(node, K.sentenceIndex, count_literal(idx))
    g.add(node, K.text, text_literal(sent.text, "zh-Hans"))
    g.add(node, K.startOffset, count_literal(start))
    g.add(node, K.endOffset, count_literal(end))
    return node


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


# --------------------------------------------------------------------------
# Acts, decisions and stances

DECISION_CLASSES = {"export": "ExportDecision", "import": "ImportDecision", "other": "OtherDecision"}


def act_local_name(predicate: str) -> str:
    """The ontology's property for an act predicate of FACTS.md (reports_to -> reportsTo)."""
    return knowledge.acts()[predicate].prop


def add_doc_events(g: TripleSink, mint: Minter, doc_acts) -> None:
    """One article's acts, stances and decision reports."""
    analysis = doc_acts.analysis
    art = analysis.article
    terms = mint.terms
    a = terms.article(art.doc_id)
    for act in same_act_values(doc_acts.acts):
        node = terms.node("act", art.doc_id, str(act.sent), act.predicate, act.agent, act.target)
        sentence = add_sentence(g, mint, analysis, act.sent)
        for key in (act.agent, act.target):
            _ensure_entity(g, mint, key, analysis)
        agent, target, prop = terms.entity(act.agent), terms.entity(act.target), K[act_local_name(act.predicate)]
        g.add(node, TYPE, K.Act)
        g.add(node, TYPE, K[knowledge.acts()[act.predicate].cls])
        g.add(node, K.agent, agent)
        g.add(node, K.target, target)
        g.add(node, K.actProperty, prop)
        g.add(node, K.inArticle, a)
        g.add(node, K.evidence, sentence)
        if act.trigger:
            g.add(node, K.trigger, text_literal(act.trigger, "zh-Hans"))
        if act.date:
            g.add(node, K.date, date_literal(act.date))
        g.add(node, K.confidence, typed_literal(round(act.confidence, 2), "decimal"))
        g.add(agent, prop, target)
    for st in doc_acts.stances:
        node = terms.node("stance", art.doc_id, st.actor, st.decision)
        d = terms.node("decision", st.decision)
        _ensure_entity(g, mint, st.actor, analysis)
        actor = terms.entity(st.actor)
        g.add(node, TYPE, K.Stance)
        g.add(node, K.actor, actor)
        g.add(node, K.decision, d)
        g.add(node, K.stance, text_literal(st.stance))
        g.add(node, K.via, text_literal(st.via))
        g.add(node, K.inArticle, a)
        for sent in st.evidence or (st.sent,):
            g.add(node, K.evidence, add_sentence(g, mint, analysis, sent))
        g.add(actor, K.supports if st.stance == "for" else K.opposes, d)
    by_key: dict[str, list] = {}
    for r in doc_acts.decisions:
        by_key.setdefault(r.key, []).append(r)
    for key, items in sorted(by_key.items()):
        node = terms.node("report", art.doc_id, key)
        g.add(node, TYPE, K.DecisionReport)
        g.add(node, K.reports, terms.node("decision", key))
        g.add(node, K.inArticle, a)
        g.add(node, K.numMentions, count_literal(len(items)))
        stated = [r for r in items if not r.background] or items     # a named decider over an implied one
        g.add(node, K.decider, terms.entity(stated[0].decider))
        g.add(node, K.scope, text_literal(items[0].scope))
        g.add(node, K.direction, text_literal(items[0].direction))
        for r in items:
            g.add(node, K.evidence, add_sentence(g, mint, analysis, r.sent))
            g.add(node, K.trigger, text_literal(r.trigger, "zh-Hans"))
        for p in sorted({p for r in items for p in r.products}):
            g.add(node, K.product, terms.entity(p))
        report_dates = sorted((r.date for r in items if r.date), key=lambda v: (-len(v), v))
        if report_dates:
            g.add(node, K.date, date_literal(report_dates[0]))
        report_shares = sorted({r.share for r in items if r.share is not None})
        if report_shares:
            g.add(node, K.revenueShare, typed_literal(report_shares[-1], "decimal"))
        g.add(node, K.background, typed_literal(all(r.background for r in items), "boolean"))
        for key_ in {items[0].decider} | {p for r in items for p in r.products}:
            _ensure_entity(g, mint, key_, analysis)


def add_decisions(g: Graph, mint: Minter, reports: Graph) -> None:
    """Decision nodes merged across articles from their reports, counted like GDELT
    (numArticles, numMentions). Reads the per-article reports back from RDF so
    that it works the same on a full build and on an incremental one."""
    rows = defaultdict(list)
    for r, d in reports.subject_objects(KGO.reports):
        rows[d].append(r)
    for d in sorted(rows):
        rs = sorted(rows[d])
        stated = [r for r in rs if not reports.value(r, KGO.background).toPython()] or rs
        deciders = Counter(reports.value(r, KGO.decider) for r in stated)
        decider = sorted(deciders, key=lambda k: (-deciders[k], str(k)))[0]
        first = rs[0]
        scope = str(reports.value(first, KGO.scope))
        direction = str(reports.value(first, KGO.direction))
        key = str(d).rsplit("/", 1)[-1]
        g.add((d, RDF.type, KGO.Decision))
        g.add((d, RDF.type, KGO[DECISION_CLASSES[scope]]))
        g.add((d, KGO.key, Literal(key)))
        g.add((d, KGO.decider, decider))
        g.add((d, KGO.scope, Literal(scope)))
        g.add((d, KGO.direction, Literal(direction)))
        products = sorted({p for r in rs for p in reports.objects(r, KGO.product)})
        for p in products:
            g.add((d, KGO.product, p))
        dated = sorted({reports.value(r, KGO.date) for r in rs} - {None}, key=lambda v: (-len(str(v)), str(v)))
        if dated:
            g.add((d, KGO.date, dated[0]))
        shares = sorted({reports.value(r, KGO.revenueShare) for r in rs} - {None}, key=float)
        if shares:
            g.add((d, KGO.revenueShare, shares[-1]))
        articles = {reports.value(r, KGO.inArticle) for r in rs}
        texts = {reports.value(a, KGO.sha256) or a for a in articles}   # the same text twice counts once
        mentions = sum(int(reports.value(r, KGO.numMentions) or 1) for r in rs)
        g.add((d, KGO.numArticles, Literal(len(texts), datatype=XSD.nonNegativeInteger)))
        g.add((d, KGO.numMentions, Literal(mentions, datatype=XSD.nonNegativeInteger)))
        for a in sorted(articles):
            g.add((d, KGO.reportedIn, a))
        label = " ".join([str(decider).rsplit("/", 1)[-1], scope, direction] +
                         [str(p).rsplit("/", 1)[-1] for p in products])
        g.add((d, RDFS.label, Literal(label)))


def _ensure_entity(g: TripleSink, mint: Minter, key: str, analysis) -> None:
    iri = mint.terms.entity(key)
    if (iri, K.key, text_literal(key)) in g:
        return
    ent = knowledge.catalog().entities.get(key)
    new = analysis.new_entities.get(key)
    cls = ent.cls if ent else (new.cls if new else "GovernmentBody")
    add_entity(g, mint, key, cls, new.label if new else None)
    g.add(mint.terms.article(analysis.article.doc_id), S.mentions, iri)


def same_act_values(acts) -> list:
    """Acts that share one node (same sentence, predicate, agent and target, found
    through different triggers) get the same confidence (the highest) and date (the
    most precise), so the node has one of each; all their triggers are kept."""
    groups: dict[tuple, list] = {}
    for act in acts:
        groups.setdefault((act.sent, act.predicate, act.agent, act.target), []).append(act)
    out = []
    for act in acts:
        group = groups[(act.sent, act.predicate, act.agent, act.target)]
        dated = sorted((a.date for a in group if a.date), key=lambda v: (-len(v), v))
        out.append(dataclasses.replace(act, confidence=max(a.confidence for a in group),
                                       date=dated[0] if dated else None))
    return out


# --------------------------------------------------------------------------
# Named graphs (kg build --format trig): one per article, one for the merged decisions


def doc_graph_iri(mint: Minter, doc_id: str) -> URIRef:
    """The named graph holding one article's facts (replace or drop it to update that article)."""
    return mint.node("graph", doc_id)


def decisions_graph_iri(mint: Minter) -> URIRef:
    """The named graph of the decisions merged across articles (three path segments,
    so no document id can mint the same IRI)."""
    return mint.node("graph", "merged", "decisions")
