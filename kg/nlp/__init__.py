"""Stage 2 — nlp: segmentation, sentences and entity mentions (:class:`kg.records.Analysis`).

``analysis`` runs spaCy's ``Chinese`` with pkuseg (``model``) and kg's components
(``components``): sentences (``sentences``) and entities (``entities``, whose rules are
``scan``, ``names``, ``ambiguous`` and ``references``, read from ``rules``).
"""
from kg.nlp.analysis import analyse, analyse_doc, build_pipeline, pipeline, release
from kg.nlp.entities import EntityFinder
from kg.nlp.sentences import sentence_spans
from kg.records import Analysis, Mention, NewEntity, Sentence

__all__ = ["Analysis", "EntityFinder", "Mention", "NewEntity", "Sentence", "analyse", "analyse_doc",
           "build_pipeline", "pipeline", "release", "sentence_spans"]
