"""Throughput, cold start, memory and scaling of ``kg build``, in one run.

    .venv/bin/python -m benchmarks.run [--sizes 100,1000,10000] [--quick]

Every measurement runs in a fresh child process, so its memory figures are its
own. The corpora are made at run time by :mod:`benchmarks.corpus` (seeded
recombinations of the sentences of ``data/raw``) in a temporary folder that
is removed afterwards.

What is measured (characters are those of the cleaned article text, the text
the segmenter and the pipeline both see):

pkuseg alone
    the cached pkuseg pipeline loaded with spaCy plus the catalog's user
    dictionary, ``nlp.tokenizer`` run over the texts and nothing else: the
    floor the pipeline cannot beat.
pipeline
    the per-article work of ``kg build`` (ingest → nlp → extract → the
    article's RDF, :func:`kg.pipeline.process_batch` in batches as
    :func:`kg.pipeline.build` makes them) with each article's result thrown
    away: time and memory with the graph itself set aside.
kg build
    the real command (``kg.cli``, in the child process) end to end: the
    pipeline, the graph assembled from every article, SHACL validation and
    the Turtle file. Only for sizes whose graph fits in memory here.

Cold start is the time from starting the process to the first article
analysed. Memory is the resident set: the peak (``ru_maxrss``) and the
resident set after the last article. Time is wall clock; CPU seconds are
printed too, since other work on the machine slows the wall clock.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


# ==========================================================================
# Child side: one measurement per process


class Sampler:
    """Polls this process's resident set (/proc/self/statm) in a thread."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self._page

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join()


def _usage() -> dict:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": me.ru_utime + me.ru_stime, "maxrss": me.ru_maxrss * 1024,
            "children_cpu": kids.ru_utime + kids.ru_stime, "children_maxrss": kids.ru_maxrss * 1024}


def _t0() -> float:
    """Wall-clock time the parent started this process at."""
    return float(os.environ.get("KG_BENCH_T0") or time.time())


def _hook_first_doc(marks: dict) -> None:
    """Record when the first article has been analysed (kg.nlp.analysis.analyse_doc returns)."""
    from kg.nlp import analysis as nlp
    original = nlp.analyse_doc

    def analyse_doc(*args, **kwargs):
        result = original(*args, **kwargs)
        marks.setdefault("first_doc", time.time())
        marks["docs_analysed"] = marks.get("docs_analysed", 0) + 1
        return result
    nlp.analyse_doc = analyse_doc


def child_pkuseg(spec: dict) -> dict:
    import spacy
    from kg import knowledge
    from kg.nlp import model
    from kg.pipeline import read_articles

    failures: list = []
    texts = [a.text for a in read_articles([Path(spec["input"])], failures)]
    chars = sum(map(len, texts))
    t = time.perf_counter()
    nlp = spacy.load(model.pipeline_dir())
    nlp.tokenizer.pkuseg_update_user_dict(knowledge.catalog().all_forms(), reset=False)
    load = time.perf_counter() - t
    cpu0, t = time.process_time(), time.perf_counter()
    tokens = 0
    for doc in nlp.tokenizer.pipe(texts):
        tokens += len(doc)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu0
    return {"docs": len(texts), "chars": chars, "tokens": tokens, "load": load, "wall": wall, "cpu": cpu,
            "failures": len(failures), **_usage()}


def child_stream(spec: dict) -> dict:
    """The per-article pipeline of kg build, results thrown away (the graph set aside)."""
    import inspect
    sampler = Sampler()
    marks: dict = {}
    from kg import nlp, pipeline
    _hook_first_doc(marks)
    imported = time.time()
    nlp.pipeline()
    loaded = time.time()
    cpu_loaded = time.process_time()
    batch_size = inspect.signature(pipeline.build).parameters["batch_size"].default
    base = spec.get("base", "https://w3id.org/kg-chips/id/")
    n_expected = spec["docs"]
    checkpoints = sorted({max(1, n_expected * k // 10) for k in range(1, 11)} | {min(100, n_expected),
                                                                                min(1000, n_expected)})
    failures: list = []
    docs = chars = triples = nt_bytes = errors = 0
    marks_at = []
    batch: list = []

    def run(batch):
        nonlocal docs, chars, triples, nt_bytes, errors
        for art, res in zip(batch, pipeline.process_batch(batch, base)):
            docs += 1
            chars += len(art.text)
            triples += res.ntriples.count(b"\n")
            nt_bytes += len(res.ntriples)
            errors += bool(getattr(res, "error", ""))
            if checkpoints and docs >= checkpoints[0]:
                while checkpoints and docs >= checkpoints[0]:
                    checkpoints.pop(0)
                marks_at.append({"docs": docs, "seconds": time.time() - loaded, "rss": sampler.rss(),
                                 "peak": max(sampler.peak, sampler.rss())})

    for art in pipeline.read_articles([Path(spec["input"])], failures):
        batch.append(art)
        if len(batch) >= batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)
    end = time.time()
    rss_end = sampler.rss()
    sampler.stop()
    t0 = _t0()
    return {"docs": docs, "chars": chars, "triples": triples, "nt_bytes": nt_bytes, "errors": errors,
            "failures": len(failures), "import": imported - t0, "load": loaded - imported,
            "cold_start": marks["first_doc"] - t0, "wall": end - loaded,
            "cpu_pipeline": time.process_time() - cpu_loaded, "total": end - t0, "rss_end": rss_end,
            "rss_peak_sampled": sampler.peak, "checkpoints": marks_at, **_usage()}


def child_build(spec: dict) -> dict:
    """``kg build`` itself (kg.cli), with timing hooks around its stages."""
    sampler = Sampler()
    marks: dict = {}
    from kg import cli, pipeline
    from kg.rdf import assemble
    _hook_first_doc(marks)

    def wrap_gen(name):
        original = getattr(pipeline, name, None)
        if original is None:
            return

        def runner(*args, **kwargs):
            yield from original(*args, **kwargs)
            marks["computed"] = time.time()
        setattr(pipeline, name, runner)
    for name in ("_run_serial", "_run_processes", "_run_dask"):
        wrap_gen(name)

    def wrap(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t = time.time()
            value = original(*args, **kwargs)
            marks[key] = marks.get(key, 0.0) + time.time() - t
            marks[key + "_end"] = time.time()
            if key == "build":
                marks["result"] = {"articles": value.articles, "triples": value.triples,
                                   "reused": getattr(value, "reused", 0), "failures": len(value.failures)}
                marks["timings"] = dict(value.timings)
                marks["rss_after_build"] = sampler.rss()
            return value
        setattr(owner, name, wrapper)
    wrap(pipeline, "build", "build")
    wrap(assemble.Assembly, "serialize", "serialize")

    argv = ["build", spec["input"], "--out", spec["out"], *spec.get("args", [])]
    started = time.time()
    code = 0
    try:
        cli.app(argv, standalone_mode=False)
    except SystemExit as e:
        code = e.code or 0
    except Exception as e:  # click's Exit without standalone mode
        code = getattr(e, "exit_code", 1)
    end = time.time()
    sampler.stop()
    t0 = _t0()
    first = marks.get("first_doc")
    build_start = marks.get("build_end", end) - marks.get("build", 0.0)
    return {"exit": code, **marks.get("result", {}), "cold_start": first - t0 if first else None,
            "startup": started - t0, "total": end - t0, "command": end - started,
            "compute": (marks["computed"] - build_start) if "computed" in marks else None,
            "assemble": marks.get("timings", {}).get("assembly"),
            "build": marks.get("build"), "shacl": marks.get("timings", {}).get("shacl"),
            "shacl_with_articles": marks.get("timings", {}).get("shacl_with_articles"),
            "serialize": marks.get("serialize"),
            "rss_after_build": marks.get("rss_after_build"), "rss_peak_sampled": sampler.peak, **_usage()}


def child_view(spec: dict) -> dict:
    """``kg facts`` or ``kg report`` on a graph file, as the command does it; ``engine`` rdflib
    loads the graph as kg did before pyoxigraph (kg.rdf.io.load_graph)."""
    sampler = Sampler()
    t, cpu = time.perf_counter(), time.process_time()
    from kg.rdf import io
    path = Path(spec["graph"])
    g = io.load_graph(path) if spec.get("engine") == "rdflib" else io.load_store(path)
    loaded = time.perf_counter() - t
    if spec["view"] == "facts":
        from kg.views import facts
        out = facts.dumps(facts.facts(g))
        rows = out.count("\n")
    else:
        from kg.views import analyze, report
        G = analyze.to_networkx(g)
        report.write_report(G, Path(spec["out"]), source=path.name)
        rows = G.number_of_nodes()
    sampler.stop()
    return {"load": loaded, "wall": time.perf_counter() - t, "cpu": time.process_time() - cpu, "rows": rows,
            "rss_peak_sampled": sampler.peak, **_usage()}


def child_analysis(spec: dict) -> dict:
    sampler = Sampler()
    from benchmarks import bigraph
    info = bigraph.run(spec["edges"], log=lambda msg: print(msg, file=sys.stderr, flush=True))
    sampler.stop()
    return {**info, "rss_peak_sampled": sampler.peak, **_usage()}


CHILDREN = {"pkuseg": child_pkuseg, "stream": child_stream, "build": child_build,
            "analysis": child_analysis, "view": child_view}


# ==========================================================================
# Parent side


def measure(mode: str, spec: dict, log) -> dict:
    """Run one measurement in a fresh process; its JSON result, plus the parent's view of it."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
        result_path = f.name
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", mode, json.dumps({**spec, "result": result_path})]
    t = time.time()
    env["KG_BENCH_T0"] = repr(t)
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    err_lines = []
    for line in proc.stderr:   # progress from the child (the million-edge analysis prints per measure)
        err_lines.append(line)
        if mode == "analysis":
            log(line.rstrip())
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - t
    try:
        data = json.loads(Path(result_path).read_text() or "{}")
    except ValueError:
        data = {}
    finally:
        Path(result_path).unlink(missing_ok=True)
    if not data:
        raise SystemExit(f"benchmark child {mode} {spec} failed (exit {proc.returncode}):\n"
                         + "".join(err_lines[-30:]))
    data["process_wall"] = wall
    data["process_maxrss"] = usage.ru_maxrss * 1024
    return data


def run_child(mode: str, spec: dict) -> None:
    data = CHILDREN[mode](spec)
    Path(spec["result"]).write_text(json.dumps(data))


def _mb(n) -> str:
    return "–" if n is None else f"{n / MB:,.0f}"


def _s(x, digits=1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _rate(chars, seconds) -> str:
    return "–" if not seconds else f"{chars / seconds:,.0f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) if i else c.ljust(w)  # noqa: E731
                                           for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="corpus sizes for the pipeline (documents)")
    ap.add_argument("--build-sizes", default=None,
                    help="sizes to run kg build end to end on [default: the sizes up to 1000]")
    ap.add_argument("--ratio-size", type=int, default=None,
                    help="size at which pkuseg alone and the pipeline are compared [default: 1000 or the "
                         "largest size below it]")
    ap.add_argument("--ratio-rounds", type=int, default=3,
                    help="alternating runs of pkuseg alone and of the pipeline; the median of the rounds' "
                         "ratios is judged")
    ap.add_argument("--workers-docs", type=int, default=2000, help="documents for 1 vs 2 workers (0: skip)")
    ap.add_argument("--update-new", type=int, default=10, help="new articles for --update (0: skip)")
    ap.add_argument("--facts-docs", type=int, default=300,
                    help="articles of the graph on which kg facts is timed through rdflib and pyoxigraph (0: skip)")
    ap.add_argument("--edges", type=int, default=1_000_000, help="edges of the synthetic graph (0: skip)")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, for a check that everything runs (about 3 minutes)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and outputs in this folder")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        run_child(args.child[0], json.loads(args.child[1]))
        return

    if args.quick:
        args.sizes = "50,200" if args.sizes == "100,1000,10000" else args.sizes
        args.workers_docs = min(args.workers_docs, 200)
        args.facts_docs = min(args.facts_docs, 50)
        args.ratio_rounds = min(args.ratio_rounds, 2)
        args.edges = min(args.edges, 50_000)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    build_sizes = sorted({int(s) for s in args.build_sizes.split(",")}) if args.build_sizes else \
        [s for s in sizes if s <= 1000]
    ratio_size = args.ratio_size or max([s for s in sizes if s <= 1000] or [min(sizes)])

    def log(msg=""):
        print(msg, flush=True)

    from benchmarks import corpus
    from kg import cli  # noqa: F401  (fails early if kg is not importable)
    has_workers = _has_option("--workers")
    has_update = _has_option("--update")

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    figures: dict = {"machine": _machine()}
    try:
        log(f"kg benchmark — {figures['machine']}")
        log(f"corpora in {work} (seed {args.seed}); sizes {sizes}; kg build end to end at {build_sizes}")
        pool = corpus.sentence_pool()
        log(f"sentence pool: {len(pool.sentences)} sentences, {len(pool.titles)} titles from data/raw")
        folders = {}
        for n in sorted(set(sizes) | set(build_sizes) | {ratio_size}
                        | ({args.workers_docs} if args.workers_docs and has_workers else set())
                | ({args.facts_docs} if args.facts_docs else set())):
            folders[n] = corpus.generate(n, work / f"corpus-{n}", seed=args.seed, pool=pool)

        stage_times = {}

        done: list = []           # every stage's figures so far, for --json

        def stage(name, mode, spec):
            t = time.time()
            log(f"… {name}")
            data = measure(mode, spec, log)
            stage_times[name] = time.time() - t
            done.append({"stage": name, **data})
            if args.json:       # after every stage: a long run's figures survive a failure later on
                args.json.write_text(json.dumps({**figures, "stages_so_far": done}, indent=1, default=str))
            log(f"  done in {stage_times[name]:.0f} s")
            return data

        # (a) pkuseg alone and (b) the pipeline on the same documents, in alternating rounds: the
        # machine's speed drifts, so each round's two runs give one ratio (the median is judged);
        # the tables show the best run of each
        rounds = []
        for r in range(1, max(1, args.ratio_rounds) + 1):
            spec = {"input": str(folders[ratio_size])}
            pk_r = stage(f"pkuseg alone, {ratio_size} docs (round {r})", "pkuseg", spec)
            st_r = stage(f"pipeline, {ratio_size} docs (round {r})", "stream", {**spec, "docs": ratio_size})
            rounds.append((pk_r, st_r))
        figures["pkuseg"] = max((p for p, _ in rounds), key=lambda x: x["chars"] / x["wall"])
        streams = {ratio_size: max((x for _, x in rounds), key=lambda x: x["chars"] / x["wall"])}
        figures["ratio_rounds"] = [{"pkuseg": p["chars"] / p["wall"], "pipeline": x["chars"] / x["wall"]}
                                   for p, x in rounds]
        for n in sizes:
            if n not in streams:
                streams[n] = stage(f"pipeline, {n} docs", "stream", {"input": str(folders[n]), "docs": n})
        figures["pipeline"] = streams
        # kg build as a user runs it (workers chosen by kg: one per core for a large batch) and,
        # at the size of the ratio, with one process (--workers 1): the CPU ratio to pkuseg
        if has_workers and ratio_size in build_sizes:
            figures["build_serial"] = stage(f"kg build, {ratio_size} docs, --workers 1", "build",
                                            {"input": str(folders[ratio_size]), "out": str(work / "out-serial"),
                                             "args": ["--workers", "1"]})
        builds = {}
        for n in build_sizes:
            extra = ["--cache", str(work / f"cache-{n}")] if has_update else []
            builds[n] = stage(f"kg build, {n} docs", "build",
                              {"input": str(folders[n]), "out": str(work / f"out-{n}"), "args": extra})
        figures["build"] = builds

        # --update: new articles among the largest end-to-end build's, against that full build
        upd = None
        if has_update and args.update_new and build_sizes:
            n = max(build_sizes)
            folder = work / f"corpus-{n}-plus-{args.update_new}"
            shutil.copytree(folders[n], folder)
            fresh = corpus.generate(args.update_new, work / "new-articles", seed=args.seed + 1, pool=pool)
            for i, f in enumerate(sorted(fresh.iterdir())):
                shutil.copy(f, folder / f"new-{i:05d}.txt")
            upd = stage(f"kg build --update, {n} + {args.update_new} new docs", "build",
                        {"input": str(folder), "out": str(work / f"out-{n}-update"),
                         "args": ["--update", "--cache", str(work / f"cache-{n}")]})
            figures["update"] = upd

        # 1 vs 2 workers
        wk = {}
        if has_workers and args.workers_docs:
            for w in (1, 2):
                wk[w] = stage(f"kg build, {args.workers_docs} docs, {w} worker(s)", "build",
                              {"input": str(folders[args.workers_docs]), "out": str(work / f"out-workers-{w}"),
                               "args": ["--workers", str(w)]})
            figures["workers"] = wk

        # kg facts and kg report on the largest end-to-end build's graph; kg facts through rdflib
        # (as before) and pyoxigraph on a graph of --facts-docs articles
        views = {}
        if build_sizes:
            n = max(build_sizes)
            graph = str(work / f"out-{n}" / "graph.ttl")
            for view in ("facts", "report"):
                views[view] = stage(f"kg {view}, the {n}-doc graph", "view",
                                    {"graph": graph, "view": view, "out": str(work / f"report-{n}")})
        if args.facts_docs:
            k = args.facts_docs
            stage(f"kg build, {k} docs (for kg facts)", "build",
                  {"input": str(folders[k]), "out": str(work / f"out-facts-{k}"), "args": []})
            for engine in ("rdflib", "oxigraph"):
                views[f"facts-{engine}"] = stage(f"kg facts, {k}-doc graph, {engine}", "view",
                                                 {"graph": str(work / f"out-facts-{k}" / "graph.ttl"),
                                                  "view": "facts", "engine": engine})
        figures["views"] = views

        # million-edge analysis
        an = None
        if args.edges:
            an = stage(f"analysis of a synthetic graph of {args.edges:,} edges", "analysis", {"edges": args.edges})
            figures["analysis"] = an
        figures["stage_seconds"] = stage_times
        figures["run_seconds"] = time.time() - started

        if args.json:           # first: the figures survive a failure of the report below
            args.json.write_text(json.dumps(figures, indent=1, default=str))
        log()
        log(report(figures, sizes, build_sizes, ratio_size, args))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _has_option(opt: str) -> bool:
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--help"], cwd=REPO, capture_output=True,
                          text=True, env=dict(os.environ, COLUMNS="200"))
    return opt in proc.stdout


def _machine() -> str:
    import platform
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f", {int(f.readline().split()[1]) / MB:.0f} GB RAM"
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs{mem}, Python {platform.python_version()}, load average {load:.1f} at start"


def report(f: dict, sizes, build_sizes, ratio_size, args) -> str:
    out = []
    pk, st = f["pkuseg"], f["pipeline"]
    ref = st[ratio_size]
    pk_rate, pk_cpu_rate = pk["chars"] / pk["wall"], pk["chars"] / pk["cpu"]
    pipe_rate, pipe_cpu_rate = ref["chars"] / ref["wall"], ref["chars"] / ref["cpu_pipeline"]
    out.append(f"## Throughput on the same {ratio_size} documents ({pk['chars']:,} characters)")
    out.append("")
    rows = [["pkuseg alone (spaCy tokenizer + user dict)", f"{pk_rate:,.0f}", f"{pk_cpu_rate:,.0f}", "1.00",
             "1.00"],
            ["pipeline (ingest → nlp → extract → article RDF)", f"{pipe_rate:,.0f}", f"{pipe_cpu_rate:,.0f}",
             f"{pipe_rate / pk_rate:.2f}", f"{pipe_cpu_rate / pk_cpu_rate:.2f}"]]
    b = f["build"].get(ratio_size)
    if b and b.get("exit") == 0:
        # end to end after the model is loaded: the command's time less the load before the first doc
        rows.append(["kg build end to end (+ graph, SHACL, Turtle)", _rate(pk["chars"], b["total"]),
                     "", f"{pk['chars'] / b['total'] / pk_rate:.2f}", ""])
    bs = f.get("build_serial")
    if bs and bs.get("exit") == 0:
        rows.append(["kg build --workers 1 end to end", _rate(pk["chars"], bs["total"]),
                     _rate(pk["chars"], bs["cpu"]), f"{pk['chars'] / bs['total'] / pk_rate:.2f}",
                     f"{pk['chars'] / bs['cpu'] / pk_cpu_rate:.2f}"])
    out.append(table(["", "chars/s (wall)", "chars/s (CPU)", "ratio (wall)", "ratio (CPU)"], rows))
    out.append("")
    out.append("Pipeline throughput excludes the model load (counted in cold start); the kg build row is "
               "characters over the whole command, load included.")
    if len(f.get("ratio_rounds", [])) > 1:
        each = ", ".join(f"{r['pipeline'] / r['pkuseg']:.2f}" for r in f["ratio_rounds"])
        out.append(f"pkuseg alone and the pipeline ran in {len(f['ratio_rounds'])} alternating rounds, each in "
                   f"a fresh process; the best run of each is shown. Pipeline / pkuseg round by round: {each}.")
    out.append("")
    out.append("## Scale: the pipeline, the graph set aside (each article's result discarded)")
    out.append("")
    rows = []
    for n in sizes:
        s = st[n]
        rows.append([f"{n:,}", f"{s['chars']:,}", _s(s["cold_start"]), _s(s["wall"]), _s(s["cpu_pipeline"]),
                     _rate(s["chars"], s["wall"]), f"{s['triples'] / max(s['docs'], 1):,.0f}",
                     _mb(s["rss_end"]), _mb(s["maxrss"])])
    out.append(table(["docs", "chars", "cold start s", "time s", "CPU s", "chars/s", "triples/doc",
                      "RSS at end MB", "peak RSS MB"], rows))
    big = max(sizes)
    if 1000 in st and big > 1000:
        a, z = st[1000], st[big]
        out.append("")
        out.append(f"Memory {big:,} / 1,000 docs: peak {z['maxrss'] / a['maxrss']:.2f}x, "
                   f"resident at end {z['rss_end'] / a['rss_end']:.2f}x; "
                   f"time {z['wall'] / a['wall']:.1f}x for {z['chars'] / a['chars']:.1f}x the characters.")
    cps = st[big].get("checkpoints", [])
    if cps:
        out.append("")
        out.append(f"Inside the {big:,}-document run (seconds after the model load; resident set then):")
        out.append("")
        out.append(table(["docs", "s", "RSS MB", "peak so far MB"],
                         [[f"{c['docs']:,}", _s(c["seconds"]), _mb(c["rss"]), _mb(c["peak"])] for c in cps]))
    if f["build"]:
        out.append("")
        out.append("## kg build end to end (the command, in a fresh process)")
        out.append("")
        rows = []
        for n, b in f["build"].items():
            rows.append([f"{n:,}", str(b.get("exit")), f"{b.get('triples', 0):,}", _s(b["cold_start"]),
                         _s(b["compute"]), _s(b["assemble"]),
                         f"{_s(b['shacl'])} + {_s(b.get('shacl_with_articles'))}", _s(b["serialize"]),
                         _s(b["total"]), _mb(b["rss_after_build"]), _mb(b["maxrss"])])
        out.append("SHACL s: the run after the articles (the merged decisions), + the CPU seconds of the "
                   "SHACL runs on each batch where it was made.")
        out.append("")
        out.append(table(["docs", "exit", "triples", "cold start s", "articles s", "graph assembly s", "SHACL s",
                          "Turtle s", "total s", "RSS after build MB", "peak RSS MB"], rows))
    if f.get("update"):
        u = f["update"]
        n = max(build_sizes)
        full = f["build"][n]
        out.append("")
        out.append(f"## --update: {args.update_new} new articles among {n:,}")
        out.append("")
        rows = [[f"full build, {n:,} docs (fills the cache)", f"{full.get('articles', 0):,}", "0",
                 _s(full["compute"]), _s(full["assemble"]), _s(full["shacl"]), _s(full["serialize"]),
                 _s(full["total"])],
                [f"--update, {n:,} + {args.update_new} docs", f"{u.get('articles', 0):,}",
                 f"{u.get('reused', 0):,}", _s(u["compute"]), _s(u["assemble"]), _s(u["shacl"]),
                 _s(u["serialize"]), _s(u["total"])]]
        out.append(table(["", "articles", "from cache", "articles s", "graph assembly s", "SHACL s", "Turtle s",
                          "total s"], rows))
    if f.get("workers"):
        w1, w2 = f["workers"][1], f["workers"][2]
        out.append("")
        out.append(f"## Workers: kg build on {args.workers_docs:,} documents (the whole command)")
        out.append("")
        rows = [[str(w), _s(x["compute"]), _s(x["assemble"]), _s(x["shacl"]), _s(x["serialize"]), _s(x["total"]),
                 _s(x["cpu"]), _mb(x["maxrss"]), _mb(x["children_maxrss"]) if w > 1 else "–"]
                for w, x in ((1, w1), (2, w2))]
        out.append(table(["workers", "articles s", "graph assembly s", "SHACL s", "Turtle s", "total s",
                          "main CPU s", "main peak MB", "worker peak MB"], rows))
        out.append("")
        out.append(f"Speed-up with 2 workers: article phase {w1['compute'] / w2['compute']:.2f}x; "
                   f"the whole build {w1['total'] / w2['total']:.2f}x.")
    views = f.get("views") or {}
    if views:
        out.append("")
        out.append("## Reading the graph: kg facts and kg report")
        out.append("")
        n = max(build_sizes) if build_sizes else 0
        rows = []
        for name, label in (("facts", f"kg facts, {n:,}-doc graph"), ("report", f"kg report, {n:,}-doc graph"),
                            ("facts-rdflib", f"kg facts, {args.facts_docs:,}-doc graph, rdflib (before)"),
                            ("facts-oxigraph", f"kg facts, {args.facts_docs:,}-doc graph, pyoxigraph (now)")):
            v = views.get(name)
            if v:
                rows.append([label, _s(v["load"]), _s(v["wall"]), _s(v["cpu"]), f"{v['rows']:,}", _mb(v["maxrss"])])
        out.append(table(["", "load s", "total s", "CPU s", "rows / nodes", "peak RSS MB"], rows))
    if f.get("analysis"):
        a = f["analysis"]
        out.append("")
        out.append(f"## Analysis of a synthetic graph: {a['edges']:,} edges, {a['nodes']:,} nodes "
                   f"(actor graph {a['actor_nodes']:,} nodes, {a['actor_edges']:,} edges)")
        out.append("")
        rows = [[k, _s(v)] for k, v in a["times"].items()] + [["total", _s(a["total"])]]
        out.append(table(["measure", "seconds"], rows))
        out.append("")
        out.append(f"Betweenness sources: {a['betweenness_sources']}. Peak RSS {_mb(a['maxrss'])} MB "
                   f"(graph built in {a['make_seconds']:.0f} s, not counted).")
    out.append("")
    out.append("## Targets")
    out.append("")
    # the ratio judged: the median of the rounds, each round's two runs being next to each other in time
    paired = [r["pipeline"] / r["pkuseg"] for r in f.get("ratio_rounds", [])] or [pipe_rate / pk_rate]
    median = statistics.median(paired)
    rows = [["pipeline / pkuseg throughput ≥ 0.5 (wall)", f"{median:.2f} (median of {len(paired)} rounds; "
             f"best against best {pipe_rate / pk_rate:.2f})", "met" if median >= 0.5 else "MISSED"]]
    if 1000 in st and big >= 10000:
        r = st[big]["maxrss"] / st[1000]["maxrss"]
        rows.append([f"memory {big:,} / 1,000 docs ≤ 1.2 (graph aside)", f"{r:.2f} (peak)",
                     "met" if r <= 1.2 else "MISSED"])
    peak = max(s["maxrss"] for s in st.values())
    rows.append(["peak < 1.5 GB (pipeline, graph aside)", f"{peak / MB:,.0f} MB",
                 "met" if peak < 1.5 * 1024 * MB else "MISSED"])
    if f["build"]:
        n = max(f["build"])
        bp = f["build"][n]["maxrss"]
        rows.append([f"peak < 1.5 GB (kg build, {n:,} docs, graph included)", f"{bp / MB:,.0f} MB",
                     "met" if bp < 1.5 * 1024 * MB else "MISSED"])
    b = f["build"].get(ratio_size)
    if b and b.get("exit") == 0:
        r, rc = b["total"] / pk["wall"], (b["cpu"] + b.get("children_cpu", 0)) / pk["cpu"]
        rows.append([f"kg build ≤ 2.0x pkuseg alone ({ratio_size:,} docs, the same text)",
                     f"{r:.2f}x wall, {rc:.2f}x CPU", "met" if r <= 2.0 else "MISSED"])
        bs = f.get("build_serial")
        if bs and bs.get("exit") == 0:
            rows.append([f"  the same, --workers 1 (one process)",
                         f"{bs['total'] / pk['wall']:.2f}x wall, {bs['cpu'] / pk['cpu']:.2f}x CPU",
                         "met" if bs["total"] / pk["wall"] <= 2.0 else "MISSED"])
        share = (b["shacl"] or 0) / b["total"]
        cpu = b["cpu"] + b.get("children_cpu", 0)
        share_cpu = (b.get("shacl_with_articles") or 0) / cpu
        rows.append(["SHACL ≤ 15 % of the build", f"after the articles {share:.1%} ({_s(b['shacl'])} of "
                     f"{_s(b['total'])} s wall); with the articles {share_cpu:.1%} "
                     f"({_s(b.get('shacl_with_articles'))} of {_s(cpu)} s CPU)",
                     "met" if max(share, share_cpu) <= 0.15 else "MISSED"])
    if 1000 in f["build"] and max(f["build"]) >= 10000:
        z = max(f["build"])
        r = f["build"][z]["total"] / f["build"][1000]["total"]
        rows.append([f"kg build {z:,} docs ≤ 10.5x the 1,000-doc build", f"{r:.2f}x",
                     "met" if r <= 10.5 else "MISSED"])
        zb = f["build"][z]
        rows.append([f"peak ≤ 2 GB (kg build, {z:,} docs)",
                     f"{zb['maxrss'] / MB:,.0f} MB the command's process"
                     + (f", {zb['children_maxrss'] / MB:,.0f} MB each worker" if zb.get("children_maxrss") else ""),
                     "met" if max(zb["maxrss"], zb.get("children_maxrss", 0)) <= 2048 * MB else "MISSED"])
    for view in ("facts", "report"):
        v = views.get(view)
        if v and f["build"]:
            n = max(f["build"])
            r = v["wall"] / f["build"][n]["total"]
            rows.append([f"kg {view} ≤ 0.2x the build ({n:,} docs)", f"{r:.3f}", "met" if r <= 0.2 else "MISSED"])
    if views.get("facts-rdflib") and views.get("facts-oxigraph"):
        r = views["facts-rdflib"]["wall"] / views["facts-oxigraph"]["wall"]
        rows.append([f"kg facts pyoxigraph ≥ 10x rdflib ({args.facts_docs:,} docs)", f"{r:.1f}x",
                     "met" if r >= 10 else "MISSED"])
    if f.get("update"):
        n = max(build_sizes)
        r = f["update"]["total"] / f["build"][n]["total"]
        rows.append([f"--update, {args.update_new} new among {n:,} ≤ 0.05 of a full build", f"{r:.3f}",
                     "met" if r <= 0.05 else "MISSED"])
    if f.get("workers"):
        r = f["workers"][1]["total"] / f["workers"][2]["total"]
        rows.append([f"2 workers ≥ 1.8x 1 worker ({args.workers_docs:,} docs, the whole build)", f"{r:.2f}x",
                     "met" if r >= 1.8 else "MISSED"])
    if f.get("analysis"):
        rows.append([f"{f['analysis']['edges']:,}-edge analysis completes", f"{f['analysis']['total']:,.0f} s",
                     "done"])
    out.append(table(["target", "measured", ""], rows))
    out.append("")
    out.append("Stage durations (s): " + ", ".join(f"{k}: {v:.0f}" for k, v in f["stage_seconds"].items()))
    out.append(f"Whole run: {f['run_seconds'] / 60:.1f} min.")
    return "\n".join(out)


if __name__ == "__main__":
    main()
