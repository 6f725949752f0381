"""The two spaCy components of kg, registered with ``Language.factory``.

``kg_sentences``
    sentence boundaries at 。!?… and line breaks, closing quotes kept
    (:func:`kg.nlp.sentences.sentence_spans`); assigns ``token.is_sent_start``.
``kg_entities``
    the mentions of :class:`kg.nlp.entities.EntityFinder`; assigns ``doc.ents`` and
    ``doc._.kg_mentions``, ``doc._.kg_pronouns``, ``doc._.kg_new``. Its finder is set
    by whoever builds the pipeline (:func:`kg.nlp.analysis.build_pipeline`), from the
    knowledge it was given.

spaCy is imported inside the functions: it takes seconds, and only the commands that
analyse text need it.
"""
from __future__ import annotations

from kg.nlp.entities import EntityFinder
from kg.nlp.sentences import sentence_spans


def token_spans(doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens, computed once per doc (reading Token
    objects one by one is slow) and kept in ``doc.user_data``."""
    spans = doc.user_data.get("kg_tokens")
    if spans is None:
        from spacy.attrs import IDX, LENGTH  # local: spaCy loads only with the pipeline (see the module doc)
        if len(doc):
            starts_lengths = doc.to_array([IDX, LENGTH])
            spans = list(zip(starts_lengths[:, 0].tolist(), (starts_lengths[:, 0] + starts_lengths[:, 1]).tolist()))
        else:
            spans = []
        doc.user_data["kg_tokens"] = spans
    return spans


def doc_text(doc) -> str:
    """``doc.text``, which spaCy rebuilds from every token on each access, read once per doc."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def sent_spans(doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of ``doc.sents`` (as set by kg_sentences), without making a Span
    and Token objects for every sentence each time they are needed."""
    spans = doc.user_data.get("kg_sents")
    if spans is None:
        from spacy.attrs import SENT_START  # local: spaCy loads only with the pipeline
        tokens = token_spans(doc)
        firsts = [i for i, v in enumerate(doc.to_array([SENT_START]).tolist()) if i == 0 or v == 1]
        spans = [(tokens[i][0], tokens[j - 1][1]) for i, j in zip(firsts, firsts[1:] + [len(tokens)])]
        doc.user_data["kg_sents"] = spans
    return spans


class SentenceSplitter:
    """kg_sentences: sentence starts set on the tokens."""

    def __call__(self, doc):
        import numpy  # local: with spaCy (see the module doc)
        from spacy.attrs import SENT_START  # local: with spaCy
        tokens = token_spans(doc)
        starts = {s for s, _ in sentence_spans(doc_text(doc), tokens)}
        # set all sentence starts at once: Token.is_sent_start checks the whole doc on every call
        flags = numpy.array([1 if i == 0 or s in starts else -1 for i, (s, _) in enumerate(tokens)],
                            dtype="int64").astype("uint64").reshape(-1, 1)
        if len(doc):
            doc.from_array([SENT_START], flags)
        return doc


class EntityRecognizer:
    """kg_entities: the mentions of ``finder`` as extension attributes and as ``doc.ents``."""

    def __init__(self, finder: EntityFinder | None = None):
        self.finder = finder

    def __call__(self, doc):
        from spacy.util import filter_spans  # local: with spaCy (see the module doc)
        if self.finder is None:
            raise ValueError("kg_entities has no EntityFinder: build the pipeline with kg.nlp.build_pipeline")
        mentions, pronouns, new = self.finder.find(doc_text(doc), token_spans(doc), sent_spans(doc))
        doc._.kg_mentions, doc._.kg_pronouns, doc._.kg_new = mentions, pronouns, new
        spans = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.cls, kb_id=m.key, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


def make_sentence_splitter(nlp, name: str) -> SentenceSplitter:
    return SentenceSplitter()


def make_entity_recognizer(nlp, name: str) -> EntityRecognizer:
    return EntityRecognizer()


def register() -> None:
    """Register the components and the Doc extensions with spaCy (once per process)."""
    from spacy.language import Language  # local: spaCy takes seconds to import (see the module doc)
    from spacy.tokens import Doc  # local: with spaCy

    for ext in ("kg_mentions", "kg_pronouns", "kg_new"):
        if not Doc.has_extension(ext):
            Doc.set_extension(ext, default=None)
    if "kg_sentences" not in Language.factories:
        Language.factory("kg_sentences", assigns=["token.is_sent_start"], func=make_sentence_splitter)
    if "kg_entities" not in Language.factories:
        Language.factory("kg_entities", requires=["token.is_sent_start"],
                         assigns=["doc.ents", "doc._.kg_mentions", "doc._.kg_pronouns", "doc._.kg_new"],
                         func=make_entity_recognizer)
