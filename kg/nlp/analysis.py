"""The nlp stage run: a spaCy ``Chinese`` pipeline with the pkuseg segmenter (see
:mod:`kg.nlp.model`), the catalog's surface forms as its user dictionary, and kg's two
components (:mod:`kg.nlp.components`); articles in, :class:`~kg.records.Analysis` out.

The result is plain data, so later stages do not depend on spaCy objects.
"""
from __future__ import annotations

import gc
from functools import lru_cache

from kg import knowledge
from kg.nlp import components, model
from kg.nlp.entities import EntityFinder
from kg.records import Analysis, Article, Mention, Sentence


def build_pipeline():
    """A new spaCy pipeline (about 6 s and 1 GB), with the catalog of the ontology folder
    as it is now as the segmenter's user dictionary."""
    import spacy  # local: spaCy takes seconds to import; only the commands that analyse text need it

    model.setup(log=lambda msg: print(msg, flush=True))
    components.register()
    nlp = spacy.load(model.pipeline_dir())
    catalog = knowledge.catalog()
    nlp.tokenizer.pkuseg_update_user_dict(catalog.all_forms(), reset=False)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_entities").finder = EntityFinder(catalog, knowledge.name_rules())
    return nlp


@lru_cache(maxsize=1)
def pipeline():
    """The process's spaCy pipeline, built once (see build_pipeline)."""
    return build_pipeline()


def release() -> None:
    """Drop the loaded pipeline when no more articles will be analysed, so that what
    comes next (graph assembly, SHACL) has its memory (about 700 MB goes back)."""
    if pipeline.cache_info().currsize:
        pipeline.cache_clear()
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


def analyse(articles, batch_size: int = 16):
    """Analyse articles in a stream (generator in, generator out)."""
    nlp = pipeline()
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
