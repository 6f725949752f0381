"""``kg build`` end to end: files → articles → analyses → acts → RDF, plus a build report.

Inputs that fail are reported by file and reason; the rest of the batch still
runs. Outputs are written atomically, so an interrupted build leaves the
previous graph untouched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg import graph as rdf
from kg.ingest import Article, IngestError, find_inputs, read_file


@dataclass
class BuildResult:
    graph: object
    articles: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    new_entities: dict[str, dict] = field(default_factory=dict)   # key -> {cls, label, count, example, docs}
    mentions: int = 0
    seconds: float = 0.0
    triples: int = 0
    doc_graphs: list = field(default_factory=list)     # (doc_id, rdflib Graph) per article
    decisions: object = None                           # the merged decision nodes


def read_articles(paths: Iterable[Path], failures: list, on_file: Callable[[Path], None] = lambda p: None
                  ) -> Iterator[Article]:
    """Articles of every input, in a stable order; failures are recorded, not raised."""
    seen_ids: set[str] = set()
    for path in find_inputs(paths):
        on_file(path)
        if not path.exists():
            failures.append((str(path), "no such file"))
            continue
        try:
            for art in read_file(path):
                if art.doc_id in seen_ids:
                    failures.append((str(path), f"document id {art.doc_id} already read from another file; skipped"))
                    continue
                seen_ids.add(art.doc_id)
                yield art
        except IngestError as e:
            failures.append((str(path), str(e)))


def build(paths: list[Path], base: str = rdf.DEFAULT_BASE, on_file=lambda p: None) -> BuildResult:
    """Each article becomes a graph of its own; decisions are merged across them at the end."""
    from kg import extract, nlp

    started = time.perf_counter()
    mint = rdf.Minter(base)
    result = BuildResult(graph=None)
    result.files = len(find_inputs(paths))
    for analysis in nlp.analyse(read_articles(paths, result.failures, on_file)):
        result.articles += 1
        acts = extract.extract(analysis)
        doc_graph = rdf.new_graph()
        rdf.add_article(doc_graph, mint, analysis, acts.argument_keys())
        rdf.add_doc_events(doc_graph, mint, acts)
        result.doc_graphs.append((analysis.article.doc_id, doc_graph))
        result.mentions += len(analysis.mentions)
        _collect_new(result.new_entities, analysis)
    union = rdf.new_graph()
    for _, doc_graph in result.doc_graphs:
        union += doc_graph
    result.decisions = rdf.new_graph()
    rdf.add_decisions(result.decisions, mint, union)
    union += result.decisions
    result.graph = union
    result.triples = len(union)
    result.seconds = time.perf_counter() - started
    return result


def _collect_new(found: dict, analysis) -> None:
    for m in analysis.mentions:
        new = analysis.new_entities.get(m.key)
        if not new:
            continue
        row = found.setdefault(m.key, {"class": new.cls, "label": new.label, "count": 0, "docs": set(),
                                       "example": analysis.sentences[m.sent].text, "how": new.how})
        row["count"] += 1
        row["docs"].add(analysis.article.doc_id)


def report_markdown(result: BuildResult, out: Path) -> str:
    lines = ["# kg build report", "",
             f"- files read: {result.files}",
             f"- articles: {result.articles}",
             f"- entity mentions: {result.mentions}",
             f"- triples: {result.triples}",
             f"- time: {result.seconds:.1f} s",
             f"- graph: `{out / 'graph.ttl'}`", ""]
    lines += ["## Inputs that failed", ""]
    if result.failures:
        lines += [f"- `{path}`: {reason}" for path, reason in result.failures]
    else:
        lines.append("None.")
    lines += ["", "## New entities", "",
              "Actors and products found that `ontology/catalog.yaml` does not list. "
              "Add the real ones to the catalog (with their aliases) and rebuild.", ""]
    if result.new_entities:
        lines += [f"{len(result.new_entities)} new entities.", "",
                  "| key | class | name | mentions | articles | found by | example sentence |",
                  "|---|---|---|---|---|---|---|"]
        for key, row in sorted(result.new_entities.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
            example = row["example"].replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {key} | {row['class']} | {row['label']} | {row['count']} | "
                         f"{len(row['docs'])} | {row['how']} | {example} |")
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"
