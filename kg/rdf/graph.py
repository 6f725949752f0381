"""Stage 4 — graph: one article's analysis and facts as RDF under the kg ontology.

Entities (with their catalog labels and posts), the article, its sentences and
mentions with offsets into the original, its acts, stances and decision reports,
with PROV-O provenance: all written as N-Triples lines (see :mod:`kg.rdf.terms`).
"""
from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
from pathlib import Path

from kg.knowledge import Knowledge, default
from kg.rdf import decisions
from kg.records import Act, Analysis, DecisionReport, DocActs, StanceFact
from kg.rdf.terms import (ALT_LABEL, LABEL, PREF_LABEL, TYPE, K, Minter, S, TripleSink, count_literal,
                          date_literal, text_literal, typed_literal)


def add_entity(g: TripleSink, mint: Minter, key: str, cls: str, label: str | None = None,
               knowledge: Knowledge | None = None) -> str:
    """An entity with its class and labels (catalog labels where the catalog of ``knowledge`` knows it)."""
    g.update(_entity_triples(knowledge or default(), mint.base, key, cls, label))
    return mint.terms.entity(key)


@lru_cache(maxsize=4096)
def _entity_triples(kn: Knowledge, base: str, key: str, cls: str, label: str | None) -> tuple[str, ...]:
    """add_entity's lines, made once per entity: every article that mentions it repeats them."""
    mint = Minter(base).terms
    g = TripleSink()
    iri = mint.entity(key)
    g.add(iri, TYPE, K[cls])
    g.add(iri, K.key, text_literal(key))
    ent = kn.catalog.entities.get(key)
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


def counted_entities(analysis: Analysis, extra: set[str] = frozenset(), knowledge: Knowledge | None = None) -> set[str]:
    """Entities the article counts as mentioning.

    Countries count where they act or are acted on (``extra``: keys that are
    arguments of acts) or where they stand as a country in two sentences or
    more. A country that only modifies a noun (美国企业, 中国籍, 英国《金融时报》,
    美国总统) or names a place (在韩国, 运往中国) does not stand as one
    (ontology/names.yaml: country_modifier_heads, country_place_markers).
    """
    text = analysis.article.text
    heads, markers = _country_rules(knowledge or default())
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
def _country_rules(kn: Knowledge) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rules = kn.names
    heads = set(rules.get("country_modifier_heads") or []) | set(kn.catalog.titles)
    markers = set(rules.get("country_place_markers") or [])
    return tuple(sorted(heads, key=len, reverse=True)), tuple(sorted(markers, key=len, reverse=True))


def _stands_as_country(text: str, m, starts: set[int], heads, markers) -> bool:
    """False for a country mention that modifies what follows it or names a place."""
    after = text[m.end:m.end + 12]
    if m.end in starts or after.startswith("《") or after.startswith(heads):
        return False
    return not text[max(0, m.start - 4):m.start].endswith(markers)


def add_article(g: TripleSink, mint: Minter, analysis: Analysis, extra_keys: set[str] = frozenset(),
                knowledge: Knowledge | None = None) -> str:
    """The article, its sentences, its mentions with offsets into the original."""
    knowledge = knowledge or default()
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
    if art.outlet:
        g.add(a, K.outlet, text_literal(art.outlet))
    g.add(a, K.encoding, text_literal(art.encoding))
    g.add(a, K.script, text_literal("zh-Hant" if art.traditional else "zh-Hans"))
    g.add(a, K.sha256, text_literal(hashlib.sha256(art.original.encode("utf-8", "surrogatepass")).hexdigest()))

    used_sentences = {m.sent for m in analysis.mentions + analysis.pronouns}
    for idx in sorted(used_sentences):
        add_sentence(g, mint, analysis, idx)

    counted = counted_entities(analysis, extra_keys, knowledge)
    first_mention = {}
    for m in analysis.mentions:
        first_mention.setdefault(m.key, m)
    for key in sorted(counted):
        new = analysis.new_entities.get(key)
        add_entity(g, mint, key, first_mention[key].cls, new.label if new else None, knowledge)
        g.add(a, S.mentions, terms.entity(key))
    for m in analysis.mentions + analysis.pronouns:
        if m.key not in counted and m.how != "pronoun":
            continue
        if m.key not in counted:
            add_entity(g, mint, m.key, m.cls, None, knowledge)
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


# --------------------------------------------------------------------------
# Acts, decisions and stances

def add_doc_events(g: TripleSink, mint: Minter, doc_acts: DocActs, knowledge: Knowledge | None = None) -> None:
    """One article's acts, stances and decision reports."""
    knowledge = knowledge or default()
    add_acts(g, mint, doc_acts.analysis, doc_acts.acts, knowledge)
    add_stances(g, mint, doc_acts.analysis, doc_acts.stances, knowledge)
    add_reports(g, mint, doc_acts.analysis, doc_acts.decisions, knowledge)


def add_acts(g: TripleSink, mint: Minter, analysis: Analysis, acts: list[Act], kn: Knowledge) -> None:
    """Each act as a node of its class (acts.yaml) with its evidence, and as the direct property."""
    terms = mint.terms
    a = terms.article(analysis.article.doc_id)
    vocabulary = kn.acts
    for act in same_act_values(acts):
        node = terms.node("act", analysis.article.doc_id, str(act.sent), act.predicate, act.agent, act.target)
        sentence = add_sentence(g, mint, analysis, act.sent)
        for key in (act.agent, act.target):
            _ensure_entity(g, mint, key, analysis, kn)
        kind = vocabulary[act.predicate]
        agent, target, prop = terms.entity(act.agent), terms.entity(act.target), K[kind.prop]
        g.add(node, TYPE, K.Act)
        g.add(node, TYPE, K[kind.cls])
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


def add_stances(g: TripleSink, mint: Minter, analysis: Analysis, stances: list[StanceFact], kn: Knowledge) -> None:
    """Each stance with its evidence, and as kgo:supports / kgo:opposes of the decision."""
    terms = mint.terms
    a = terms.article(analysis.article.doc_id)
    for st in stances:
        node = terms.node("stance", analysis.article.doc_id, st.actor, st.decision)
        d = terms.node("decision", st.decision)
        _ensure_entity(g, mint, st.actor, analysis, kn)
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


def add_reports(g: TripleSink, mint: Minter, analysis: Analysis, reports: list[DecisionReport],
                kn: Knowledge) -> None:
    """One kgo:DecisionReport per decision the article reports (kg.rdf.decisions.reported_one),
    with every sentence and trigger that reports it."""
    terms = mint.terms
    doc_id = analysis.article.doc_id
    for key, items in decisions.by_key(reports).items():
        rd = decisions.reported_one(doc_id, key, items)
        node = terms.node("report", doc_id, key)
        g.add(node, TYPE, K.DecisionReport)
        g.add(node, K.reports, terms.node("decision", key))
        g.add(node, K.inArticle, terms.article(doc_id))
        g.add(node, K.numMentions, count_literal(rd.mentions))
        decisions.add_terms(g, mint, node, rd)
        for r in items:
            g.add(node, K.evidence, add_sentence(g, mint, analysis, r.sent))
            g.add(node, K.trigger, text_literal(r.trigger, "zh-Hans"))
        g.add(node, K.background, typed_literal(rd.background, "boolean"))
        for key_ in {items[0].decider} | set(rd.products):
            _ensure_entity(g, mint, key_, analysis, kn)


def _ensure_entity(g: TripleSink, mint: Minter, key: str, analysis: Analysis, kn: Knowledge) -> None:
    iri = mint.terms.entity(key)
    if (iri, K.key, text_literal(key)) in g:
        return
    ent = kn.catalog.entities.get(key)
    new = analysis.new_entities.get(key)
    cls = ent.cls if ent else (new.cls if new else "GovernmentBody")
    add_entity(g, mint, key, cls, new.label if new else None, kn)
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
