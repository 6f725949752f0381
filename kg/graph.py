"""Stage 4 — graph: analyses to RDF under the kg ontology.

Every IRI is minted from a key, a document id and offsets, never from article
text, so text can only ever reach the graph inside escaped literals. No blank
nodes: the same input serialises to the same bytes.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from kg import knowledge

KGO = Namespace("https://w3id.org/kg-chips/ontology#")
SCHEMA = Namespace("https://schema.org/")
DEFAULT_BASE = "https://w3id.org/kg-chips/id/"

FORMATS = {"ttl": "turtle", "turtle": "turtle", "trig": "trig", "nq": "nquads", "nquads": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld", "nt": "nt"}


@lru_cache(maxsize=65536)
def _quote_part(part: str) -> str:
    """A path segment of a minted IRI: anything but unreserved characters percent-encoded."""
    return quote(part, safe="-_.~")


@lru_cache(maxsize=65536)
def _minted(base: str, parts: tuple[str, ...]) -> URIRef:
    """An IRI under ``base`` (the same ones recur many times within an article)."""
    return URIRef(base + "/".join(map(_quote_part, parts)))


class Minter:
    """IRIs for everything kg creates, under one configurable base."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, *parts: str) -> URIRef:
        return _minted(self.base, tuple(map(str, parts)))

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
    """One article's triples, kept as a plain set and written as N-Triples.

    process_batch builds each article into one of these rather than an rdflib
    Graph: the triples are only written out, never queried, and rdflib's
    indexed store cost a third of the per-article time. It supports what the
    add_* functions use: ``add`` and ``(s, p, None) in sink``."""

    def __init__(self):
        self.triples: set = set()
        self._pairs: set = set()

    def add(self, triple) -> None:
        self.triples.add(triple)
        self._pairs.add((triple[0], triple[1]))

    def __contains__(self, pattern) -> bool:
        s, p, o = pattern
        return (s, p) in self._pairs if o is None else (s, p, o) in self.triples

    def __len__(self) -> int:
        return len(self.triples)

    def ntriples(self) -> bytes:
        """Sorted N-Triples lines (the same triple always gives the same line)."""
        lines = sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in self.triples})
        return "".join(lines).encode("utf-8")


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """An N-Triples term: <iri>, "text"@lang, "lexical"^^<datatype> or "text"."""
    if isinstance(term, Literal):
        lexical = '"' + str(term).translate(_NT_ESCAPES) + '"'
        if term.language:
            return lexical + "@" + term.language
        if term.datatype is not None and term.datatype != XSD.string:
            return lexical + "^^<" + str(term.datatype) + ">"
        return lexical
    if isinstance(term, URIRef):
        return "<" + str(term) + ">"     # (str(): URIRef's own + would make IRIs)
    raise TypeError(f"no blank nodes or other terms in kg graphs: {term!r}")


def add_entity(g: Graph, mint: Minter, key: str, cls: str, label: str | None = None) -> URIRef:
    """An entity with its class and labels (catalog labels where the catalog knows it)."""
    for triple in _entity_triples(mint.base, key, cls, label):
        g.add(triple)
    return mint.entity(key)


@lru_cache(maxsize=4096)
def _entity_triples(base: str, key: str, cls: str, label: str | None) -> tuple:
    """add_entity's triples, made once per entity: every article that mentions it repeats them."""
    mint = Minter(base)
    g = TripleSink()
    iri = mint.entity(key)
    g.add((iri, RDF.type, KGO[cls]))
    g.add((iri, KGO.key, Literal(key)))
    ent = knowledge.catalog().entities.get(key)
    if ent:
        g.add((iri, KGO.catalogued, Literal(True)))
        for lang, text in sorted(ent.labels.items()):
            g.add((iri, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((iri, RDFS.label, Literal(ent.labels.get("en") or ent.label_zh)))
        for alias in sorted(set(ent.aliases + ent.nicknames) - set(ent.labels.values())):
            g.add((iri, SKOS.altLabel, Literal(alias, lang=_lang_of(alias))))
        if ent.produced_by:
            g.add((iri, KGO.madeBy, mint.entity(ent.produced_by)))
        for n, post in enumerate(ent.posts):
            p = mint.node("post", key, str(n))
            g.add((iri, KGO.holdsPost, p))
            g.add((p, RDF.type, KGO.Post))
            g.add((p, KGO.postTitle, Literal(str(post.get("title", "")), lang="zh-Hans")))
            if post.get("org"):
                g.add((p, KGO.postIn, mint.entity(post["org"])))
            for field, prop in (("from", SCHEMA.startDate), ("to", SCHEMA.endDate)):
                if post.get(field):
                    from kg import dates
                    g.add((p, prop, dates.literal(str(post[field]))))
    else:
        g.add((iri, KGO.catalogued, Literal(False)))
        if label:
            g.add((iri, SKOS.prefLabel, Literal(label, lang=_lang_of(label))))
            g.add((iri, RDFS.label, Literal(label)))
    return tuple(sorted(g.triples))


def _lang_of(text: str) -> str:
    return "en" if all(ord(c) < 0x3000 for c in text) else "zh-Hans"


def counted_entities(analysis, extra: set[str] = frozenset()) -> set[str]:
    """Entities the article counts as mentioning.

    Countries count where they act or are acted on (``extra``: keys that are
    arguments of acts) or recur; one passing mention of a place does not count.
    """
    sentences: dict[str, set[int]] = {}
    for m in analysis.mentions:
        sentences.setdefault(m.key, set()).add(m.sent)
    keep = set()
    for m in analysis.mentions:
        if m.cls == "Country" and m.key not in extra and len(sentences[m.key]) < 2:
            continue
        keep.add(m.key)
    return keep


def add_article(g: Graph, mint: Minter, analysis, extra_keys: set[str] = frozenset()) -> URIRef:
    """The article, its sentences, its mentions with offsets into the original."""
    art = analysis.article
    a = mint.article(art.doc_id)
    g.add((a, RDF.type, KGO.Article))
    g.add((a, KGO.docId, Literal(art.doc_id)))
    g.add((a, KGO.sourceFile, Literal(Path(art.source).name)))
    if art.line is not None:
        g.add((a, KGO.sourceLine, Literal(art.line)))
    if art.title:
        g.add((a, SCHEMA.headline, Literal(art.title, lang="zh-Hans")))
    if art.date:
        g.add((a, SCHEMA.datePublished, Literal(art.date, datatype=XSD.date)))
        g.add((a, KGO.dateSource, Literal(art.date_source)))
    if art.url:
        g.add((a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI)))
    g.add((a, KGO.encoding, Literal(art.encoding)))
    g.add((a, KGO.script, Literal("zh-Hant" if art.traditional else "zh-Hans")))
    g.add((a, KGO.sha256, Literal(hashlib.sha256(art.original.encode("utf-8", "surrogatepass")).hexdigest())))

    used_sentences = {m.sent for m in analysis.mentions + analysis.pronouns}
    for idx in sorted(used_sentences):
        add_sentence(g, mint, analysis, idx)

    counted = counted_entities(analysis, extra_keys)
    for key in sorted(counted):
        ent = next(m for m in analysis.mentions if m.key == key)
        new = analysis.new_entities.get(key)
        add_entity(g, mint, key, ent.cls, new.label if new else None)
        g.add((a, SCHEMA.mentions, mint.entity(key)))
    for m in analysis.mentions + analysis.pronouns:
        if m.key not in counted and m.how != "pronoun":
            continue
        if m.key not in counted:
            add_entity(g, mint, m.key, m.cls)
        node = mint.mention(art.doc_id, *art.original_span(m.start, m.end))
        start, end = art.original_span(m.start, m.end)
        g.add((node, RDF.type, KGO.Mention))
        g.add((node, KGO.mentionOf, mint.entity(m.key)))
        g.add((node, KGO.inArticle, a))
        g.add((node, KGO.inSentence, mint.sentence(art.doc_id, m.sent)))
        g.add((node, KGO.surface, Literal(m.surface, lang="zh-Hans")))
        g.add((node, KGO.surfaceOriginal, Literal(art.original[start:end])))
        g.add((node, KGO.startOffset, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((node, KGO.endOffset, Literal(end, datatype=XSD.nonNegativeInteger)))
        g.add((node, KGO.method, Literal(m.how)))
    return a


def add_sentence(g: Graph, mint: Minter, analysis, idx: int) -> URIRef:
    art = analysis.article
    sent = analysis.sentences[idx]
    node = mint.sentence(art.doc_id, idx)
    start, end = art.original_span(sent.start, sent.end)
    g.add((node, RDF.type, KGO.Sentence))
    g.add((node, KGO.inArticle, mint.article(art.doc_id)))
    g.add((node, KGO.sentenceIndex, Literal(idx, datatype=XSD.nonNegativeInteger)))
    g.add((node, KGO.text, Literal(sent.text, lang="zh-Hans")))
    g.add((node, KGO.startOffset, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((node, KGO.endOffset, Literal(end, datatype=XSD.nonNegativeInteger)))
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

ACT_CLASSES = {"lobbies": "Lobbying", "advises": "Advising", "criticizes": "Criticism",
               "reports_to": "Reporting", "meets": "Meeting", "investigates": "Investigation",
               "summons": "Summons", "sanctions": "Sanction", "restricts": "Restriction",
               "rejects": "Rejection", "produces": "Production", "member_of": "Membership"}
ACT_PROPERTIES = {"reports_to": "reportsTo", "member_of": "memberOf"}
DECISION_CLASSES = {"export": "ExportDecision", "import": "ImportDecision", "other": "OtherDecision"}


def act_property(predicate: str) -> URIRef:
    return KGO[ACT_PROPERTIES.get(predicate, predicate)]


def add_doc_events(g: Graph, mint: Minter, doc_acts) -> None:
    """One article's acts, stances and decision reports."""
    from kg import dates
    analysis = doc_acts.analysis
    art = analysis.article
    a = mint.article(art.doc_id)
    for act in same_act_values(doc_acts.acts):
        node = mint.node("act", art.doc_id, str(act.sent), act.predicate, act.agent, act.target)
        sentence = add_sentence(g, mint, analysis, act.sent)
        for key in (act.agent, act.target):
            _ensure_entity(g, mint, key, analysis)
        g.add((node, RDF.type, KGO.Act))
        g.add((node, RDF.type, KGO[ACT_CLASSES[act.predicate]]))
        g.add((node, KGO.agent, mint.entity(act.agent)))
        g.add((node, KGO.target, mint.entity(act.target)))
        g.add((node, KGO.actProperty, act_property(act.predicate)))
        g.add((node, KGO.inArticle, a))
        g.add((node, KGO.evidence, sentence))
        if act.trigger:
            g.add((node, KGO.trigger, Literal(act.trigger, lang="zh-Hans")))
        if act.date:
            g.add((node, KGO.date, dates.literal(act.date)))
        g.add((node, KGO.confidence, Literal(round(act.confidence, 2), datatype=XSD.decimal)))
        g.add((mint.entity(act.agent), act_property(act.predicate), mint.entity(act.target)))
    for st in doc_acts.stances:
        node = mint.node("stance", art.doc_id, st.actor, st.decision)
        d = mint.node("decision", st.decision)
        _ensure_entity(g, mint, st.actor, analysis)
        g.add((node, RDF.type, KGO.Stance))
        g.add((node, KGO.actor, mint.entity(st.actor)))
        g.add((node, KGO.decision, d))
        g.add((node, KGO.stance, Literal(st.stance)))
        g.add((node, KGO.via, Literal(st.via)))
        g.add((node, KGO.inArticle, a))
        for sent in st.evidence or (st.sent,):
            g.add((node, KGO.evidence, add_sentence(g, mint, analysis, sent)))
        g.add((mint.entity(st.actor), KGO.supports if st.stance == "for" else KGO.opposes, d))
    by_key: dict[str, list] = {}
    for r in doc_acts.decisions:
        by_key.setdefault(r.key, []).append(r)
    for key, items in sorted(by_key.items()):
        node = mint.node("report", art.doc_id, key)
        g.add((node, RDF.type, KGO.DecisionReport))
        g.add((node, KGO.reports, mint.node("decision", key)))
        g.add((node, KGO.inArticle, a))
        g.add((node, KGO.numMentions, Literal(len(items), datatype=XSD.nonNegativeInteger)))
        stated = [r for r in items if not r.background] or items     # a named decider over an implied one
        g.add((node, KGO.decider, mint.entity(stated[0].decider)))
        g.add((node, KGO.scope, Literal(items[0].scope)))
        g.add((node, KGO.direction, Literal(items[0].direction)))
        for r in items:
            g.add((node, KGO.evidence, add_sentence(g, mint, analysis, r.sent)))
            g.add((node, KGO.trigger, Literal(r.trigger, lang="zh-Hans")))
        for p in sorted({p for r in items for p in r.products}):
            g.add((node, KGO.product, mint.entity(p)))
        report_dates = sorted((r.date for r in items if r.date), key=lambda v: (-len(v), v))
        if report_dates:
            g.add((node, KGO.date, dates.literal(report_dates[0])))
        report_shares = sorted({r.share for r in items if r.share is not None})
        if report_shares:
            g.add((node, KGO.revenueShare, Literal(report_shares[-1], datatype=XSD.decimal)))
        g.add((node, KGO.background, Literal(all(r.background for r in items))))
        for key_ in {items[0].decider} | {p for r in items for p in r.products}:
            _ensure_entity(g, mint, key_, analysis)


def add_decisions(g: Graph, mint: Minter, reports: Graph) -> None:
    """Decision nodes merged across articles from their reports, counted like GDELT
    (numArticles, numMentions). Reads the per-article reports back from RDF so
    that it works the same on a full build and on an incremental one."""
    from collections import Counter, defaultdict
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
        mentions = sum(int(reports.value(r, KGO.numMentions) or 1) for r in rs)
        g.add((d, KGO.numArticles, Literal(len(articles), datatype=XSD.nonNegativeInteger)))
        g.add((d, KGO.numMentions, Literal(mentions, datatype=XSD.nonNegativeInteger)))
        for a in sorted(articles):
            g.add((d, KGO.reportedIn, a))
        label = " ".join([str(decider).rsplit("/", 1)[-1], scope, direction] +
                         [str(p).rsplit("/", 1)[-1] for p in products])
        g.add((d, RDFS.label, Literal(label)))


def _ensure_entity(g: Graph, mint: Minter, key: str, analysis) -> None:
    iri = mint.entity(key)
    if (iri, KGO.key, None) in g:
        return
    ent = knowledge.catalog().entities.get(key)
    new = analysis.new_entities.get(key)
    cls = ent.cls if ent else (new.cls if new else "GovernmentBody")
    add_entity(g, mint, key, cls, new.label if new else None)
    g.add((mint.article(analysis.article.doc_id), SCHEMA.mentions, iri))


def same_act_values(acts) -> list:
    """Acts that share one node (same sentence, predicate, agent and target, found
    through different triggers) get the same confidence (the highest) and date (the
    most precise), so the node has one of each; all their triggers are kept."""
    import dataclasses
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
