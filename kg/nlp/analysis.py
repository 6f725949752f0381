"""The nlp stage run: a spaCy ``Chinese`` pipeline with the pkuseg segmenter (see
:mod:`kg.nlp.model`), the catalog's surface forms as its user dictionary, and kg's two
components (:mod:`kg.nlp.components`); articles in, :class:`~kg.records.Analysis` out.

The result is plain data, so later stages do not depend on spaCy objects.
"""
from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

from kg.knowledge import Knowledge, default, load
from kg.nlp import components, model
from kg.nlp.entities import EntityFinder
from kg.records import Analysis, Article, Mention, Sentence


def build_pipeline(knowledge: Knowledge | None = None):
    """A new spaCy pipeline (about 6 s and 1 GB) whose segmenter has the catalog of
    ``knowledge`` (by default kg.knowledge.default()) as user dictionary, and whose entity
    component finds with its catalog and names.yaml."""
    import spacy  # local: spaCy takes seconds to import; only the commands that analyse text need it

    model.setup(log=lambda msg: print(msg, flush=True))
    components.register()
    nlp = spacy.load(model.pipeline_dir())
    knowledge = knowledge or default()
    nlp.tokenizer.pkuseg_update_user_dict(knowledge.catalog.all_forms(), reset=False)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_entities").finder = EntityFinder(knowledge.catalog, knowledge.names)
    return nlp


def pipeline(knowledge: Knowledge | None = None):
    """The process's spaCy pipeline for the ontology folder of ``knowledge`` (by default
    kg.knowledge.default()), built once per process (see build_pipeline)."""
    return _built((knowledge or default()).folder)


@lru_cache(maxsize=1)
def _built(folder: Path):
    """The one pipeline a process keeps (a spaCy pipeline costs 1 GB)."""
    return build_pipeline(load(folder))


def release() -> None:
    """Drop the loaded pipeline when no more articles will be analysed, so that what
    comes next (graph assembly, SHACL) has its memory (about 700 MB goes back)."""
    if _built.cache_info().currsize:
        _built.cache_clear()
        gc.collect()


def analyse_doc(article: Article, doc) -> Analysis:
    """The Analysis of ``article`` from its processed spaCy ``doc``."""
    text = components.doc_text(doc)
    sentences = [Sentence(s, e, text[s:e]) for s, e in components.sent_spans(doc) if text[s:e].strip()]
    sentences = [Sentence(*_trim(article.text, s.start, s.end)) for s in sentences]
    # re-index the mentions' sentences after trimming empty ones
    index = Analysis(article, [], sentences, [])
    return Analysis(article, components.token_spans(doc), sentences,
                    [_resent(m, index) for m in doc._.kg_mentions],
                    [_resent(m, index) for m in doc._.kg_pronouns], doc._.kg_new)


def _trim(text: str, s: int, e: int) -> tuple[int, int, str]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e, text[s:e]


def _resent(m: Mention, a: Analysis) -> Mention:
    return Mention(m.key, m.cls, m.start, m.end, m.surface, a.sentence_of(m.start), m.how)


def analyse(articles, batch_size: int = 16, knowledge: Knowledge | None = None):
    """Analyse articles in a stream (generator in, generator out), with the process's
    pipeline for ``knowledge`` (by default kg.knowledge.default())."""
    nlp = pipeline(knowledge or default())
    arts = iter(articles)

    def texts():
        for a in arts:
            pending.append(a)
            doc = nlp.make_doc(a.text)
            # the components read the text often; spaCy's doc.text rebuilds it from every token
            # (make_doc keeps the text exactly: spaCy checks its words and spaces against it)
            doc.user_data["kg_text"] = a.text
            yield doc

    pending: list[Article] = []
    for doc in nlp.pipe(texts(), batch_size=batch_size):
        yield analyse_doc(pending.pop(0), doc)
