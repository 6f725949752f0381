"""``kg build`` end to end: files → articles → analyses → acts → RDF, plus a build report.

Inputs that fail are reported by file and reason; the rest of the batch still
runs. Outputs are written atomically, so an interrupted build leaves the
previous graph untouched.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg import extract, knowledge, nlp
from kg.rdf import assemble, decisions, validate
from kg.rdf.graph import add_article, add_doc_events
from kg.rdf.io import write_atomic
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.terms import Minter, TripleSink, check_base
from kg.ingest import Article, IngestError, find_inputs, md_code, md_escape, one_line, os_text, read_file
from kg.knowledge import Knowledge
from kg.records import ReportedDecision


@dataclass
class BuildResult:
    articles: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    new_entities: dict[str, dict] = field(default_factory=dict)   # key -> {cls, label, count, example, docs}
    mentions: int = 0
    seconds: float = 0.0
    triples: int = 0
    assembly: assemble.Assembly | None = None          # the graph, as sorted N-Triples lines
    shacl: object = None                               # kg.validate.Report of this build's check
    timings: dict[str, float] = field(default_factory=dict)   # seconds per stage: articles, assembly, shacl
    reused: int = 0                                    # articles taken from the cache (--update)
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (path, message): read, with a problem
    base: str = DEFAULT_BASE

    @property
    def graph(self):
        """The whole graph as an rdflib Graph (parsed on first use: large builds need memory)."""
        if self._graph is None:
            self._graph = self.assembly.rdflib_graph()
        return self._graph

    _graph: object = field(default=None, repr=False)

    def serialize(self, fmt: str = "ttl") -> bytes:
        """The bytes of the output file in ``fmt``: ttl, nt, jsonld, trig or nq."""
        return self.assembly.serialize(fmt, Minter(self.base))


def read_articles(paths: Iterable[Path], failures: list, on_file: Callable[[Path], None] = lambda p: None,
                  warnings: list | None = None, knowledge: Knowledge | None = None,
                  problems: dict[Path, str] | None = None) -> Iterator[Article]:
    """Articles of every input, in a stable order; failures are recorded, not raised.

    ``failures`` and ``warnings`` get (path, message) pairs, each message on one line.
    With ``problems``, ``paths`` are find_inputs' list already walked (and what it could not
    search); else the inputs are walked here."""
    seen_ids: set[str] = set()
    seen_texts: dict[bytes, str] = {}    # sha256 of the original text -> where it was first read
    if problems is None:
        problems = {}
        paths = find_inputs(paths, problems)
    for path in paths:
        on_file(path)
        name = one_line(os_text(str(path)))
        if path in problems:             # a folder that cannot be searched, a broken or looping link
            failures.append((name, one_line(problems[path])))
            continue
        if not path.exists():
            failures.append((name, "no such file or folder"))
            continue
        try:
            for art in read_file(path, knowledge):
                if art.doc_id in seen_ids:
                    failures.append((name, one_line(f"document id {art.doc_id} already read from another "
                                                     f"file; skipped")))
                    continue
                seen_ids.add(art.doc_id)
                digest = hashlib.sha256(art.original.encode("utf-8", "surrogatepass")).digest()   # as kgo:sha256
                where = f" (line {art.line})" if art.line is not None else ""
                if digest in seen_texts and warnings is not None:   # counted once in numArticles
                    warnings.append((name, one_line(f"the same text as {seen_texts[digest]}{where}; "
                                                    "counted once in numArticles")))
                seen_texts.setdefault(digest, one_line(os_text(art.source) + where))
                if warnings is not None:
                    where = f" (line {art.line})" if art.line is not None else ""
                    warnings += [(name, one_line(w + where)) for w in art.warnings]
                yield art
        except IngestError as e:
            failures.append((name, one_line(str(e))))
        except Exception as e:  # a bug must not stop the batch: report it as this file's failure
            failures.append((name, _internal(e)))


def _internal(e: Exception) -> str:
    return one_line(f"internal error, skipped: {type(e).__name__}: {e}")[:500]


@dataclass
class DocResult:
    """What one article contributes: its triples and what the build report needs."""
    doc_id: str
    ntriples: bytes
    mentions: int
    new_entities: list[dict]
    decisions: list[ReportedDecision] = field(default_factory=list)   # what it reports, for the merge
    cached: bool = False
    error: str = ""          # set when the article could not be processed (nothing else is)
    decision_links: frozenset = frozenset()   # decision nodes its lines point to (checked by SHACL)
    shacl_seconds: float = 0.0   # of the SHACL run on its batch, on the first article of the batch


def process_batch(articles: list[Article], base: str, check: bool = True) -> list[DocResult]:
    """ingest → nlp → extract → graph → SHACL for a batch of articles (in a worker, or here),
    with the knowledge of the process's ontology folder. With ``check`` each article is
    validated here, and one whose facts violate the shapes comes back with an error."""
    mint = Minter(base)
    kn = knowledge.default()
    try:
        analyses = list(nlp.analyse(articles, knowledge=kn))
    except Exception:   # find the article that fails below, one at a time
        analyses = None
    out = []
    for i, article in enumerate(articles):
        try:
            analysis = analyses[i] if analyses is not None else next(nlp.analyse([article], knowledge=kn))
            acts = extract.extract(analysis, kn)
            g = TripleSink()
            add_article(g, mint, analysis, acts.argument_keys(), kn)
            add_doc_events(g, mint, acts, kn)
            out.append(DocResult(analysis.article.doc_id, g.ntriples(), len(analysis.mentions),
                                 _new_rows(analysis), decisions.reported(analysis.article.doc_id, acts.decisions, _text_hash(analysis.article))))
        except Exception as e:  # one article's bug must not stop the batch
            out.append(DocResult(article.doc_id, b"", 0, [], error=_internal(e)))
    if check:
        _check_batch(out, mint)
    return out


def _check_batch(results: list[DocResult], mint: Minter) -> None:
    """SHACL on the batch's articles (see assemble.validate_articles): a violating article
    gets an error and no triples; each other one the decision nodes it points to."""
    made = [r for r in results if not r.error]
    if not made:
        return
    prefix = b"<" + str(mint.node("decision", "")).encode()
    bad, links, made[0].shacl_seconds = assemble.validate_articles([(r.doc_id, r.ntriples) for r in made], prefix)
    for r in made:
        if r.doc_id in bad:
            r.error = f"dropped: a fact kg made violates the shapes ({bad[r.doc_id]}); the rest of the batch is built"
            r.ntriples, r.decisions = b"", []
        else:
            r.decision_links = links[r.doc_id]


def _new_rows(analysis) -> list[dict]:
    rows: dict[str, dict] = {}
    for m in analysis.mentions:
        new = analysis.new_entities.get(m.key)
        if new:
            row = rows.setdefault(m.key, {"key": m.key, "class": new.cls, "label": new.label, "how": new.how,
                                          "count": 0, "example": analysis.sentences[m.sent].text})
            row["count"] += 1
    return [rows[k] for k in sorted(rows)]


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _warm_worker() -> None:
    nlp.pipeline(knowledge.default())


def _run_serial(batches, work):
    for batch in batches:
        yield from work(batch)


#: numeric libraries' thread pools: each worker is one process on one core
THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread_per_worker() -> None:
    """Worker processes inherit this environment: without it each one's BLAS starts a
    thread per core, and two workers on two cores ran no faster than one."""
    for name in THREAD_ENV:
        os.environ.setdefault(name, "1")


#: input files per worker process when ``kg build`` chooses the number itself: below this a
#: second model load (about 5 s) costs more than it saves
FILES_PER_WORKER = 50
#: memory a worker process needs (the spaCy pipeline and one batch)
WORKER_MEMORY = 1.5 * 1024 ** 3


def auto_workers(files: int) -> int:
    """How many worker processes a build of ``files`` input files uses by default: one per
    usable core, as memory allows, and one per FILES_PER_WORKER files at most."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        by_memory = int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // WORKER_MEMORY) - 1
    except (ValueError, OSError, AttributeError):
        by_memory = cores
    return max(1, min(cores, by_memory, files // FILES_PER_WORKER))


@contextmanager
def worker_pool(workers: int):
    """A pool of ``workers`` processes, each loading the pipeline once, for the articles (and
    their SHACL) and then, when the articles must be validated again against the whole graph,
    for those chunks; None for one."""
    if workers <= 1:
        yield None
        return
    _one_thread_per_worker()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_warm_worker) as pool:
        yield pool


def _run_processes(batches, work, pool):
    """Batches on the worker pool; results come back in input order."""
    for results in pool.imap(work, batches):
        yield from results


class ClusterError(Exception):
    """A Dask cluster that cannot run this build (no worker, another kg or ontology on one)."""


def _worker_version() -> str:
    """What a worker would build with: kg's code and ontology files (the cache key's salt)."""
    return _knowledge_version()


def _check_cluster(client, timeout: float = 60.0) -> int:
    """The number of worker threads, once every worker has loaded the model; ClusterError
    when there is none, or when one has other code or ontology files than this machine (its
    graph would differ from a serial build's)."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, OSError) as e:
        raise ClusterError(f"no Dask worker joined the scheduler within {timeout:.0f} s ({e})") from None
    ours = _knowledge_version()
    other = sorted(addr for addr, v in client.run(_worker_version).items() if v != ours)
    if other:
        raise ClusterError(f"worker(s) {', '.join(other)} run other kg code or ontology files than this "
                           "machine; install the same kg checkout on every worker")
    client.run(_warm_worker)          # each worker loads the model once, before the first batch
    return max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))


def _run_dask(batches, work, address: str, workers: int):
    """Shard batches across a Dask cluster (a LocalCluster when address is empty), in input order."""
    try:   # local: Dask takes half a second to import, and it is an optional extra; only --dask needs it
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ImportError("Dask is an optional extra of kg: pip install 'kg[dask]'") from None
    cluster = None
    if address:
        try:
            client = Client(address, timeout="30s")
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    else:
        _one_thread_per_worker()
        cluster = LocalCluster(n_workers=max(workers, 2), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        slots = _check_cluster(client)
        window = []
        for batch in batches:
            window.append(client.submit(work, batch, pure=False))
            if len(window) >= 4 * slots:
                yield from window.pop(0).result()
        for future in window:
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_ROW_KEYS = {"key", "class", "label", "how", "count", "example"}   # a row of DocResult.new_entities


class DocCache:
    """Per-article results keyed by a hash of the article, the base IRI and the knowledge
    (ontology files and kg's code): an unchanged article is not processed again."""

    def __init__(self, folder: Path, base: str):
        self.folder = Path(folder)
        self.salt = _knowledge_version() + "\0" + base

    def key(self, article: Article) -> str:
        h = hashlib.sha256(self.salt.encode())
        # everything of the article that reaches the graph (the rest is computed from these)
        for part in (article.doc_id, Path(article.source).name, str(article.line), article.original,
                     article.date or "", article.url or "", article.encoding, article.title,
                     article.date_source):
            h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, article: Article) -> DocResult | None:
        path = self.folder / f"{self.key(article)}.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            nt = (self.folder / f"{self.key(article)}.nt").read_bytes()
            if hashlib.sha256(nt).hexdigest() != meta.get("sha256") or "decisions" not in meta:
                return None
            rows = list(meta["new_entities"])
            if not all(isinstance(r, dict) and _ROW_KEYS <= r.keys() for r in rows):
                return None
            reported = [ReportedDecision(**{**d, "products": tuple(d["products"])}) for d in meta["decisions"]]
            return DocResult(str(meta["doc_id"]), nt, int(meta["mentions"]), rows, reported, cached=True)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):   # unreadable or damaged: a miss
            return None

    def put(self, article: Article, result: DocResult) -> None:
        key = self.key(article)
        write_atomic(self.folder / f"{key}.nt", result.ntriples)
        meta = {"doc_id": result.doc_id, "mentions": result.mentions, "new_entities": result.new_entities,
                "decisions": [dataclasses.asdict(d) for d in result.decisions],
                "sha256": hashlib.sha256(result.ntriples).hexdigest()}
        write_atomic(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))


@lru_cache(maxsize=1)
def _knowledge_version() -> str:
    h = hashlib.sha256()
    for folder, pattern in ((knowledge.ontology_dir(), "*"), (Path(__file__).parent, "*.py")):
        for f in sorted(folder.rglob(pattern)):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def build(paths: list[Path], base: str = DEFAULT_BASE, on_file=lambda p: None, *, workers: int = 1,
          cache: Path | None = None, update: bool = False, dask: str | None = None,
          batch_size: int = 8, validate_shapes: bool = True, release_model: bool = False,
          problems: dict[Path, str] | None = None) -> BuildResult:
    """Each article becomes a graph of its own; decisions are merged across them at the end.

    Articles stream through in batches; with ``workers`` > 1 they are processed by a
    pool of processes, with ``dask`` (an address, or "" for a LocalCluster) on a
    Dask cluster. ``cache`` keeps each article's result; with ``update`` an
    article whose result is in the cache is not processed again. The output
    is the same whichever way it was computed.

    The graph is checked against the SHACL shapes (the new articles and the merged
    decisions, see kg.assemble); on a violation ValidationError is raised and
    nothing new is cached.

    ``release_model``: drop the spaCy pipeline once every article is analysed, so
    that assembly and SHACL reuse its memory (for a process that builds once).
    """
    started = time.perf_counter()
    mint = Minter(check_base(base))
    result = BuildResult(base=base)
    if problems is None:                 # else ``paths`` is find_inputs' list and what it could not search
        problems = {}
        paths = find_inputs(paths, problems)
    files = list(paths)                  # walked once: what follows reads this list
    result.files = len(files)
    store = DocCache(cache, base) if cache else None
    articles = read_articles(files, result.failures, on_file, result.warnings, knowledge.default(), problems)
    with worker_pool(workers if dask is None else 1) as pool:
        _build_with(result, articles, mint, store, update, base, dask, workers, pool, batch_size,
                    validate_shapes, release_model)
    result.seconds = time.perf_counter() - started
    return result


def _build_with(result: BuildResult, articles: Iterator[Article], mint: Minter, store: DocCache | None,
                update: bool, base: str, dask: str | None, workers: int, pool, batch_size: int,
                validate_shapes: bool, release_model: bool) -> None:
    """The stages of build after the inputs are found: articles, assembly, SHACL, cache."""
    started = time.perf_counter()
    work = partial(process_batch, base=base, check=validate_shapes)
    results, fresh = _compute(articles, result, work, store if update else None, dask, workers, pool, batch_size)
    result.timings["articles"] = time.perf_counter() - started
    if release_model:
        nlp.release()
    _tally(result, results)

    def handed_over():
        """Each article's N-Triples once, released as the assembly takes them (memory)."""
        for p in sorted(results):
            doc = results[p]
            nt, doc.ntriples = doc.ntriples, b""
            yield doc.doc_id, nt, doc.decisions
    result.assembly = assemble.assemble(handed_over(), mint)
    result.timings["assembly"] = result.assembly.seconds
    if validate_shapes:
        t = time.perf_counter()
        _check_shapes(result, results, fresh, mint, pool.imap if pool is not None else map)
        result.timings["shacl"] = time.perf_counter() - t
    result.triples = len(result.assembly.union)
    result.articles = len(results)
    if store:                            # only what passed: a rejected article is processed again next time
        lines = dict(result.assembly.docs)
        try:
            for pos, art in fresh.items():
                doc = results[pos]
                own = lines[doc.doc_id]
                doc.ntriples = b"\n".join(own) + b"\n" if own else b""
                store.put(art, doc)
                doc.ntriples = b""       # written: the graph holds the lines (memory)
        except OSError as e:             # disk full, read-only, a file in the way: build without the cache
            result.warnings.append((one_line(os_text(str(store.folder))),
                                    one_line(f"cannot write the cache ({e.strerror or e}); "
                                             "the articles of this build are not cached")))


def _compute(articles: Iterator[Article], result: BuildResult, work, store: DocCache | None,
             dask: str | None, workers: int, pool, batch_size: int
             ) -> tuple[dict[int, DocResult], dict[int, Article]]:
    """Every article's DocResult by input position (from ``store`` where it has one), and the
    articles computed in this build by position; failures go to ``result``."""
    pending: deque = deque()             # (position, article) to compute, in order
    ready: dict[int, DocResult] = {}     # position -> cached result

    def to_compute():
        for pos, art in enumerate(articles):
            hit = store.get(art) if store else None
            if hit is not None:
                ready[pos] = hit
                continue
            pending.append((pos, art))
            yield art

    if dask is not None:
        computed = _run_dask(_batches(to_compute(), batch_size), work, dask, workers)
    elif pool is not None:
        computed = _run_processes(_batches(to_compute(), batch_size), work, pool)
    else:
        computed = _run_serial(_batches(to_compute(), batch_size), work)

    results: dict[int, DocResult] = {}
    fresh: dict[int, Article] = {}       # position -> article computed in this build (cached after SHACL)
    for doc in computed:
        pos, art = pending.popleft()
        if doc.error:
            where = f" (line {art.line})" if art.line is not None else ""
            result.failures.append((one_line(art.source), doc.error + where))
            continue
        results[pos] = doc
        fresh[pos] = art
    results.update(ready)
    return results, fresh


def _tally(result: BuildResult, results: dict[int, DocResult]) -> None:
    """Articles, mentions, reuse and the new entities of the build report."""
    for pos in sorted(results):
        doc = results[pos]
        result.articles += 1
        result.mentions += doc.mentions
        result.reused += doc.cached
        for row in doc.new_entities:
            found = result.new_entities.setdefault(row["key"], {"class": row["class"], "label": row["label"],
                                                                "count": 0, "docs": set(),
                                                                "example": row["example"], "how": row["how"]})
            found["count"] += row["count"]
            found["docs"].add(doc.doc_id)


def _check_shapes(result: BuildResult, results: dict[int, DocResult], fresh: dict[int, Article],
                  mint: Minter, map_=map) -> None:
    """SHACL on what is new; the articles whose own facts violate the shapes are dropped
    (and named in the failures), the rest assembled and checked again. ValidationError
    when that does not conform either."""
    # the new articles were validated where they were made (process_batch): here the merged
    # decisions, and the articles again only if one points to a decision that was not merged
    links = frozenset().union(*(results[p].decision_links for p in fresh))
    result.shacl = assemble.validate_new(result.assembly, {results[p].doc_id for p in fresh}, map_=map_,
                                         decision_links=links)
    in_workers = sum(results[p].shacl_seconds for p in fresh)
    result.shacl.seconds += in_workers
    result.timings["shacl_with_articles"] = in_workers
    if result.shacl.conforms:
        return
    # one bad article must not cost the whole build: drop the articles whose own
    # nodes violate the shapes (each named in the report), merge again, check again
    bad = assemble.violating_docs(result.assembly.docs, result.shacl.violations)
    if not bad:
        raise validate.ValidationError(result.shacl)
    for pos in [p for p in sorted(results) if results[p].doc_id in bad]:
        first = next(v for v in result.shacl.violations if v.focus in bad[results[pos].doc_id])
        source = fresh[pos].source if pos in fresh else results[pos].doc_id
        result.failures.append((one_line(source), "dropped: a fact kg made violates the shapes "
                                f"({first.line()}); the rest of the batch is built"))
        del results[pos]
        fresh.pop(pos, None)
    kept = {doc_id: lines for doc_id, lines in result.assembly.docs if doc_id not in bad}
    result.assembly = assemble.assemble(
        ((results[p].doc_id, b"".join(x + b"\n" for x in kept[results[p].doc_id]), results[p].decisions)
         for p in sorted(results)), mint)
    result.shacl = assemble.validate_new(result.assembly, {results[p].doc_id for p in fresh}, map_=map_)
    if not result.shacl.conforms:
        raise validate.ValidationError(result.shacl)


def _text_hash(article: Article) -> str:
    """The sha256 the graph gives the article's text (kgo:sha256)."""
    return hashlib.sha256(article.original.encode("utf-8", "surrogatepass")).hexdigest()


def report_markdown(result: BuildResult, out: Path) -> str:
    """The build report; everything from the input (paths, messages, names, sentences) escaped."""
    lines = ["# kg build report", "",
             f"- files read: {result.files}",
             f"- articles: {result.articles}" + (f" ({result.reused} unchanged, taken from the cache)"
                                                 if result.reused else ""),
             f"- entity mentions: {result.mentions}",
             f"- triples: {result.triples}",
             f"- time: {result.seconds:.1f} s",
             f"- graph: {md_code(os_text(str(out / 'graph.ttl')))}", ""]
    lines += ["## Inputs that failed", ""]
    if result.failures:
        lines += [f"- {md_code(path)}: {md_escape(reason)}" for path, reason in result.failures]
    else:
        lines.append("None.")
    if result.warnings:
        lines += ["", "## Warnings", "", "Inputs that were read, with a problem worth knowing about.", ""]
        lines += [f"- {md_code(path)}: {md_escape(message)}" for path, message in result.warnings]
    lines += ["", "## New entities", "",
              "Actors and products found that `ontology/catalog.yaml` does not list. "
              "Add the real ones to the catalog (with their aliases) and rebuild.", ""]
    if result.new_entities:
        lines += [f"{len(result.new_entities)} new entities.", "",
                  "| key | class | name | mentions | articles | found by | example sentence |",
                  "|---|---|---|---|---|---|---|"]
        for key, row in sorted(result.new_entities.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
            lines.append("| " + " | ".join(md_escape(v) for v in (key, row["class"], row["label"], row["count"],
                                                                   len(row["docs"]), row["how"], row["example"]))
                         + " |")
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"
