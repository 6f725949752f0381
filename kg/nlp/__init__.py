"""Stage 2 — nlp: segmentation, sentences and entity mentions."""
from kg.nlp.entities import (Analysis, EntityFinder, Mention, NewEntity, Sentence, analyse, analyse_doc,
                             build_pipeline, pipeline, release, sentence_spans)

__all__ = ["Analysis", "EntityFinder", "Mention", "NewEntity", "Sentence", "analyse", "analyse_doc",
           "build_pipeline", "pipeline", "release", "sentence_spans"]
