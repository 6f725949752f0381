"""The ``kg`` command line.

Exit codes: 0 everything worked (warnings, e.g. invalid UTF-8 bytes replaced, do
not change it); 1 some inputs failed (the rest was built); 2 usage error or
nothing could be built.

Conventions: ``-h``/``--help`` and ``--version``; ``kg --quiet …`` prints only errors and
warnings, ``kg --verbose …`` also each phase's time; ``-`` reads a graph (or a query, or
one article for ``kg build``) from standard input; a phase that takes more than a few
seconds says so with its elapsed time (:mod:`kg.progress`). The help is plain text (no
markup, so ``[default: …]`` stays), checked with the typer range that pyproject.toml pins.
"""
from __future__ import annotations

import atexit
import dataclasses
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperCommand

from kg import progress
from kg.rdf import io as rdf_io
from kg.rdf import validate
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.terms import check_base
from kg.views import facts as facts_view
from kg.views import push as gsp
from kg.views import query as sparql

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Build a knowledge graph of US–China chip export policy from Chinese news.")

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
STDIN = "-"


def _argument_name(param) -> str:
    """Its metavar as given, else its name in capitals (``...`` after one that takes several)."""
    if param.metavar:
        return param.metavar
    return param.name.upper() + ("" if param.nargs == 1 else "...")


class _Command(TyperCommand):
    """typer's command with arguments named as usage lines name them (``GRAPH``, ``INPUT...``,
    ``[GRAPH] QUERY``), where typer 0.29 writes ``{GRAPH}`` and ``GRAPH <path>``."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [self.options_metavar] + [_argument_name(p) for p in self.get_params(ctx)
                                         if p.param_type_name == "argument"]

    def format_options(self, ctx, formatter) -> None:
        params = self.get_params(ctx)
        arguments = [(_argument_name(p), getattr(p, "help", "") or "") for p in params
                     if p.param_type_name == "argument"]
        options = [r for p in params if p.param_type_name == "option" for r in [p.get_help_record(ctx)] if r]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
_STATE = {"quiet": False, "verbose": False}


def _err(msg: str) -> None:
    """Errors and warnings: always shown."""
    typer.echo(msg, err=True)


def _info(msg: str) -> None:
    """What a command reports on stderr beside errors (summaries, timings): not with --quiet."""
    if not _STATE["quiet"]:
        typer.echo(msg, err=True)


def _phase(label: str) -> progress.Status:
    return progress.Status(label, enabled=not _STATE["quiet"], always=_STATE["verbose"])


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version
        try:
            typer.echo(f"kg {version('kg')}")
        except PackageNotFoundError:
            typer.echo("kg (not installed: no version)")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print kg's version and exit."),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors and warnings."),
         verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print the time of every phase.")):
    """Build a knowledge graph of US–China chip export policy from Chinese news."""
    if quiet and verbose:
        _err("kg: --quiet and --verbose contradict each other; give one")
        raise typer.Exit(EXIT_USAGE)
    _STATE.update(quiet=quiet, verbose=verbose)


_STDIN_DIR: list[Path] = []


def _from_stdin(name: str) -> Path:
    """Standard input saved as ``name`` in a temporary folder removed at exit (the readers want
    a file: its suffix says the format, and rdflib and pyoxigraph read paths)."""
    if not _STDIN_DIR:
        _STDIN_DIR.append(Path(tempfile.mkdtemp(prefix="kg-stdin-")))
        atexit.register(shutil.rmtree, _STDIN_DIR[0], True)
    path = _STDIN_DIR[0] / name
    path.write_bytes(sys.stdin.buffer.read())
    return path


def _graph_suffix(data: bytes) -> str:
    """The format of a graph read from standard input: JSON-LD, TriG, N-Quads, else Turtle
    (which N-Triples is too)."""
    head = data.lstrip()[:65536]
    if head.startswith((b"{", b"[")):
        return ".jsonld"
    if re.search(rb"^\s*(?:GRAPH\s+)?(?:<[^>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|_:\S+)?\s*\{", head, re.M):
        return ".trig"
    first = next((line for line in head.splitlines() if line.strip() and not line.lstrip().startswith(b"#")), b"")
    if re.fullmatch(rb"\s*(?:<[^>]*>|_:\S+)\s+<[^>]*>\s+.+\s+(?:<[^>]*>|_:\S+)\s*\.\s*", first):
        return ".nq"
    return ".ttl"


def _graph_file(path: Path) -> Path:
    """``path``, or for ``-`` the graph on standard input saved with the suffix of its format."""
    if str(path) != STDIN:
        return path
    saved = _from_stdin("stdin")
    return saved.rename(saved.with_suffix(_graph_suffix(saved.read_bytes()[:65536])))


@app.command(cls=_Command)
def setup(force: bool = typer.Option(False, "--force", help="Rebuild the cached model even if it is intact.")):
    """Fetch and prepare the pkuseg segmentation model (pinned sha256, cached)."""
    from kg.nlp import model  # local: kg.nlp loads the nlp stage (60 ms); only kg setup needs it here
    try:
        path = model.setup(force=force, log=_err)
    except model.ModelError as e:
        _err(f"kg setup: {e}")
        raise typer.Exit(EXIT_USAGE)
    typer.echo(str(path))


@app.command(cls=_Command)
def build(inputs: List[Path] = typer.Argument(..., metavar="INPUT...",
                                              help="Files (.txt .html .jsonl) or folders of them; - reads "
                                                   "one .txt article from standard input."),
          out: Path = typer.Option(Path("out"), "--out", "-o", metavar="DIR", help="Output folder."),
          base: str = typer.Option(DEFAULT_BASE, metavar="IRI", help="Base IRI for entities, articles and events."),
          fmt: str = typer.Option("ttl", "--format", "-f", metavar="FORMAT",
                                  help="ttl, trig, nq, nt or jsonld (trig and nq: one named graph per article)."),
          workers: str = typer.Option("auto", "--workers", "-j", metavar="N",
                                      help="Worker processes, each loading the model (about 1 GB): a number, "
                                           "or auto for one per core when there are 50 files or more a "
                                           "core."),
          update: bool = typer.Option(False, "--update", help="Reuse the cached result of every unchanged article."),
          cache: Optional[Path] = typer.Option(None, metavar="DIR",
                                               help="Per-article result cache [default: OUT/.kg-cache]."),
          dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS",
                                             help="Run on a Dask cluster: a scheduler address, or 'local' "
                                                  "for a LocalCluster on this machine.")):
    """Read articles and write OUT/graph.ttl and OUT/build-report.md."""
    from kg import pipeline  # local: the build stages (ingest, nlp, extract: 60 ms) only for kg build
    if fmt not in rdf_io.FORMATS:
        _err(f"kg build: unknown format {fmt!r}; use one of {', '.join(sorted(rdf_io.FORMATS))}")
        raise typer.Exit(EXIT_USAGE)
    try:
        check_base(base)
    except ValueError as e:
        _err(f"kg build: --base {base!r}: {e}")
        raise typer.Exit(EXIT_USAGE)
    if dask is not None:
        from importlib.util import find_spec
        if find_spec("distributed") is None:
            _err("kg build: --dask needs Dask, an optional extra: pip install 'kg[dask]' "
                 "(or pip install 'dask[distributed]')")
            raise typer.Exit(EXIT_USAGE)
    if sum(str(p) == STDIN for p in inputs) > 1:
        _err("kg build: - (standard input) can be given once")
        raise typer.Exit(EXIT_USAGE)
    if workers != "auto" and not (workers.isdigit() and int(workers) >= 1):
        _err(f"kg build: --workers {workers!r}: a number of at least 1, or auto")
        raise typer.Exit(EXIT_USAGE)
    inputs = [_from_stdin("stdin.txt") if str(p) == STDIN else p for p in inputs]
    problems: dict = {}
    files = pipeline.find_inputs(inputs, problems)
    missing = [p for p in inputs if not p.exists()]      # each named once, by the build's failures
    if not files:
        _err("kg build: no input files (.txt, .html, .jsonl) found")
        raise typer.Exit(EXIT_USAGE)
    finish = _phase("the last articles, the assembly and SHACL")
    read = [0]

    def on_file(_path) -> None:
        bar.update(1)
        read[0] += 1
        if read[0] == len(files):    # the rest is the last batch, the assembly and SHACL: say so
            bar.render_finish()
            bar.hidden = True        # finished: its own exit writes nothing more
            finish.__enter__()
    with typer.progressbar(length=len(files), label="reading", file=sys.stderr, hidden=_STATE["quiet"]) as bar:
        try:
            n_workers = pipeline.auto_workers(len(files)) if workers == "auto" else int(workers)
            result = pipeline.build(files, problems=problems, base=base, on_file=on_file, workers=n_workers,
                                    update=update, cache=cache or out / ".kg-cache",
                                    dask=None if dask is None else ("" if dask == "local" else dask),
                                    release_model=True)
        except pipeline.ClusterError as e:
            _err(f"kg build: --dask {dask}: {e}")
            raise typer.Exit(EXIT_USAGE)
        except validate.ValidationError as e:
            _err(f"kg build: the graph fails SHACL validation (ontology/shapes.ttl); nothing written, "
                 f"{out} is as it was")
            _err(e.report.format(limit=20).rstrip())
            raise typer.Exit(EXIT_USAGE)
        finally:
            if finish.started:
                finish.__exit__(None, None, None)
    for path, reason in result.failures:
        _err(f"{path}: {reason}")
    for path, message in result.warnings:
        _err(f"{path}: warning: {message}")
    if result.articles == 0:
        _err("kg build: no article left to write (each was unreadable or dropped); nothing written, "
             f"{out} is as it was")
        raise typer.Exit(EXIT_USAGE)
    suffix = {"ttl": "ttl", "turtle": "ttl", "trig": "trig", "nq": "nq", "nquads": "nq",
              "jsonld": "jsonld", "json-ld": "jsonld", "nt": "nt"}[fmt]
    target = out / f"graph.{suffix}"
    _info(f"SHACL: {result.shacl.summary()}")
    for path, data, kept in ((target, result.serialize(suffix), f"{out} is as it was"),
                             (out / "build-report.md", pipeline.report_markdown(result, out).encode("utf-8"),
                              f"{target} was written, the old build-report.md kept")):
        try:
            rdf_io.write_atomic(path, data)
        except OSError as e:   # disk full, read-only or missing folder: one line, not a traceback
            _err(f"kg build: cannot write {path}: {e.strerror or e}; {kept}")
            raise typer.Exit(EXIT_USAGE)
    _info(f"{result.articles} articles, {result.triples} triples, {len(result.new_entities)} new entities "
          f"-> {target} ({result.seconds:.1f} s)")
    if _STATE["verbose"]:
        _info("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items()))
    raise typer.Exit(EXIT_PARTIAL if result.failures or missing else EXIT_OK)


@app.command(cls=_Command)
def facts(graph: Path = typer.Argument(..., metavar="GRAPH", help="A graph written by kg build (- reads it "
                                                                  "from standard input).")):
    """Print the facts view (contract/FACTS.md) as JSON lines, read from the graph with SPARQL."""
    g = _load(graph)
    with _phase("reading the facts"):
        text = facts_view.dumps(facts_view.facts(g))
    sys.stdout.write(text)


@app.command("eval", cls=_Command)
def evaluate(graph: Path = typer.Argument(..., metavar="GRAPH",
                                          help="A graph written by kg build, or a facts .jsonl file "
                                               "(- reads a graph from standard input)."),
             gold: List[Path] = typer.Option(..., "--gold", metavar="DIR",
                                             help="Folder (or file) of gold .jsonl facts; "
                                                  "repeat for several (--gold a --gold b)."),
             misses: bool = typer.Option(False, "--misses", help="List every missed and extra fact."),
             fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT",
                                     help="text, or json: the scores (and with --misses the misses) as one "
                                          "JSON object.")):
    """Score the graph's facts against gold facts: precision, recall, F1."""
    from kg.views import evaluate as ev  # local: kg.evaluate reads ontology/scoring.yaml as it loads; only kg eval needs it
    _check_format("eval", fmt, ("text", "json"))
    if graph.suffix == ".jsonl":
        rows = ev.read_rows(graph)
    else:
        rows = facts_view.facts(_load(graph))
    try:
        gold_rows = [row for folder in gold for row in ev.read_rows(folder)]
    except ValueError as e:
        _err(str(e))
        raise typer.Exit(EXIT_USAGE)
    if not gold_rows:
        _err(f"{', '.join(map(str, gold))}: no gold facts found")
        raise typer.Exit(EXIT_USAGE)
    result, missed = ev.score(gold_rows, rows)
    if fmt == "json":
        typer.echo(json.dumps({**result, **({"misses": missed} if misses else {})}, ensure_ascii=False, indent=1))
        return
    typer.echo(ev.format_result(result))
    if misses:
        for line in missed:
            typer.echo(line)


@app.command(cls=_Command)
def report(graph: Path = typer.Argument(..., metavar="GRAPH", help="A graph written by kg build (- reads it "
                                                                   "from standard input)."),
           out: Path = typer.Option(Path("out/report"), "--out", "-o", metavar="DIR", help="Output folder."),
           top: int = typer.Option(10, metavar="N", help="How many top actors to show per centrality measure.")):
    """Write OUT/report.md, a self-contained OUT/report.html, and network.graphml/.gexf for Gephi."""
    # local: networkx and matplotlib take about a second to import; only kg report needs them
    from kg.views import analyze
    from kg.views import report as report_
    g = _load(graph)
    with _phase("building the network"):
        G = analyze.to_networkx(g)
    with _phase("analysing and writing the report"):
        paths = report_.write_report(G, out, source=graph.name, top=top)
    _info(f"{len(analyze.decisions(G))} decisions, {len(analyze.actors(G))} actors -> "
          f"{paths['html']}, {paths['md']}, {paths['graphml'].name}, {paths['gexf'].name}")


@app.command("export", cls=_Command)
def export_cmd(graph: Path = typer.Argument(..., metavar="GRAPH", help="A graph written by kg build (- reads "
                                                                       "it from standard input)."),
               out: str = typer.Option(..., "--out", "-o", metavar="DIR",
                                       help="Output folder; - writes the one --table to standard output."),
               fmt: str = typer.Option("csv", "--format", "-f", metavar="FORMAT", help="csv or parquet."),
               table: List[str] = typer.Option([], "--table", "-t", metavar="NAME",
                                               help="Only this table (articles, entities, mentions, acts, "
                                                    "decisions, stances). Repeatable [default: all six].")):
    """Write the graph as tables: articles, entities, mentions, acts, decisions, stances."""
    from kg.views import tables  # local: only kg export writes tables (pyarrow for Parquet)
    _check_format("export", fmt, tables.FORMATS)
    unknown = [t for t in table if t not in tables.COLUMNS]
    if unknown or (out == STDIN and len(set(table)) != 1):
        _err(f"kg export: no table {unknown[0]!r}; use {', '.join(tables.COLUMNS)}" if unknown
             else "kg export: --out - (standard output) takes exactly one --table")
        raise typer.Exit(EXIT_USAGE)
    graph = _graph_file(graph)
    if not graph.is_file():
        _err(f"{graph}: no such file")
        raise typer.Exit(EXIT_USAGE)
    try:
        with _phase("writing the tables"):
            if out == STDIN:
                sys.stdout.buffer.write(tables.encode(table[0], tables.tables(graph)[table[0]], fmt))
                sys.stdout.flush()
                return
            written = tables.write(graph, out, fmt, table or None)
    except sparql.QueryError as e:
        _err(f"kg export: {e}")
        raise typer.Exit(EXIT_USAGE)
    except OSError as e:
        _err(f"kg export: cannot write {out}: {e.strerror or e}")
        raise typer.Exit(EXIT_USAGE)
    _info(f"kg export: {len(written)} tables -> {out}/ ({', '.join(p.name for p in written.values())})")


@app.command("validate", cls=_Command)
def validate_cmd(graph: Path = typer.Argument(..., metavar="GRAPH",
                                              help="A graph file (.ttl, .trig, .nq, .nt, .jsonld; - reads it "
                                                   "from standard input)."),
                 shapes: Optional[Path] = typer.Option(None, metavar="FILE",
                                                       help="SHACL shapes [default: ontology/shapes.ttl]."),
                 limit: int = typer.Option(0, metavar="N", help="Print at most this many violations (0: all)."),
                 engine: str = typer.Option(validate.ENGINES[0], metavar="ENGINE",
                                            help="SHACL engine: " + " or ".join(validate.ENGINES)
                                                 + " (the same shapes)."),
                 fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT",
                                         help="text, or json: conforms, counts and every violation as one "
                                              "JSON object.")):
    """Check a graph against the SHACL shapes; print every violation (exit 2 if any)."""
    _check_format("validate", fmt, ("text", "json"))
    if shapes is not None and not shapes.is_file():
        _err(f"{shapes}: no such file")
        raise typer.Exit(EXIT_USAGE)
    if engine not in validate.ENGINES:
        _err(f"kg validate: unknown engine {engine!r}; use one of {', '.join(validate.ENGINES)}")
        raise typer.Exit(EXIT_USAGE)
    data = _load(graph, rdf_io.load_graph) if engine == "pyshacl" else _load(graph, rdf_io.ntriples_of)
    with _phase("checking the graph (SHACL)"):
        report = validate.validate(data, shapes, engine=engine)
    if fmt == "json":
        shown = report.violations if not limit else report.violations[:limit]
        typer.echo(json.dumps({"graph": str(graph), "conforms": report.conforms, "shapes": report.shapes_file,
                               "triples": report.triples, "violations": len(report.violations),
                               "by_shape": [{"shape": s_, "constraint": c, "count": n}
                                            for s_, c, n in report.by_shape()],
                               "shown": [dataclasses.asdict(v) for v in shown]}, ensure_ascii=False, indent=1))
    else:
        typer.echo(f"{graph}: " + report.format(limit=limit or None), nl=False)
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_USAGE)


@app.command("query", cls=_Command)
def query_cmd(args: List[str] = typer.Argument(..., metavar="[GRAPH] QUERY",
                                              help="GRAPH: a graph file (.ttl, .trig, .nq, .nt, .jsonld); "
                                                   "left out with --endpoint. QUERY: a .rq file, the name of a "
                                                   "ready query in ontology/queries (lobbying, evidence …; "
                                                   "ready:NAME even where a file has that name), or SPARQL text. "
                                                   "Either may be - for standard input."),
              bind: List[str] = typer.Option([], "--bind", "-b", metavar="NAME=VALUE",
                                             help="Bind ?NAME before running: <IRI>, \"literal\"@lang, "
                                                  "\"lex\"^^<datatype>, or plain text (a string). Repeatable."),
              fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT",
                                      help="table, csv or json (SPARQL 1.1 results)."),
              engine: str = typer.Option("auto", metavar="ENGINE",
                                         help="rdflib, oxigraph, or auto (pyoxigraph for large files)."),
              allow_network: bool = typer.Option(False, "--allow-network",
                                                 help="Let SERVICE clauses query other servers (and, with "
                                                      "rdflib, FROM fetch graphs); off: the query stays local."),
              endpoint: Optional[str] = typer.Option(None, "--endpoint", "-e", metavar="URL",
                                                     help="Run the query at this SPARQL endpoint instead, e.g. "
                                                          "http://localhost:7878/query (Oxigraph), "
                                                          "http://localhost:8890/sparql (Virtuoso), "
                                                          "http://localhost:3030/kg/sparql (Fuseki); bindings "
                                                          "are sent as a VALUES block."),
              graph_iri: List[str] = typer.Option([], "--graph", "-g", metavar="IRI",
                                                  help="With --endpoint: query this named graph as the default "
                                                       "graph (default-graph-uri). Repeatable."),
              user: Optional[str] = typer.Option(None, "--user", "-u", metavar="USER",
                                                 help="With --endpoint: user name for HTTP authentication."),
              password: Optional[str] = typer.Option(None, "--password", "-p", metavar="PASSWORD",
                                                     envvar="KG_QUERY_PASSWORD",
                                                     help="With --endpoint: password (or set KG_QUERY_PASSWORD)."),
              timeout: float = typer.Option(120.0, metavar="SECONDS",
                                            help="With --endpoint: seconds to wait for the whole answer.")):
    """Run a SPARQL query on a graph file, or at a SPARQL endpoint; parameters go in as bindings,
    never as text."""
    if fmt not in sparql.OUTPUT_FORMATS:
        _err(f"kg query: unknown format {fmt!r}; use {', '.join(sparql.OUTPUT_FORMATS)}")
        raise typer.Exit(EXIT_USAGE)
    wanted = 1 if endpoint else 2
    if len(args) != wanted:
        _err("kg query: expected QUERY with --endpoint" if endpoint else "kg query: expected GRAPH QUERY "
             "(or --endpoint URL QUERY)")
        raise typer.Exit(EXIT_USAGE)
    try:
        if args[-1] == STDIN:
            if not endpoint and args[0] == STDIN:
                raise sparql.QueryError("- (standard input) can be the graph or the query, not both")
            text = sys.stdin.read()
        else:
            text, _ = sparql.resolve_query(args[-1], note=lambda s: _err(f"kg query: {s}"))
        bindings = sparql.parse_bindings(bind)
        if endpoint:
            from kg.views import remote  # local: only --endpoint talks HTTP
            result = remote.run(endpoint, text, bindings, graph_iri, user, password, timeout=timeout)
        else:
            with _phase("running the query"):
                result = sparql.run(_graph_file(Path(args[0])), text, bindings, engine, allow_network)
        sys.stdout.write(sparql.render(result, fmt))
    except sparql.QueryError as e:
        _err(f"kg query: {e}")
        raise typer.Exit(EXIT_USAGE)


@app.command("push", cls=_Command)
def push_cmd(graph: Path = typer.Argument(..., metavar="GRAPH",
                                          help="A graph file: .ttl/.nt to one graph; .trig/.nq graph by graph "
                                               "(- reads it from standard input)."),
             endpoint: str = typer.Option(..., "--endpoint", "-e", metavar="URL",
                                          help="SPARQL 1.1 Graph Store endpoint, e.g. "
                                               "http://localhost:3030/kg/data (Fuseki), "
                                               "http://localhost:8890/sparql-graph-crud-auth (Virtuoso)."),
             graph_iri: Optional[str] = typer.Option(None, "--graph", "-g", metavar="IRI",
                                                     help="Named graph IRI for a .ttl/.nt file [default: the "
                                                          "server's default graph]."),
             graph_param: Optional[str] = typer.Option(None, "--graph-param", metavar="NAME",
                                                       help="Query parameter naming the graph [default: graph; "
                                                            "graph-uri for Virtuoso's sparql-graph-crud]."),
             user: Optional[str] = typer.Option(None, "--user", "-u", metavar="USER",
                                                help="User name for HTTP digest or basic authentication."),
             password: Optional[str] = typer.Option(None, "--password", "-p", envvar="KG_PUSH_PASSWORD",
                                                    metavar="PASSWORD", help="Its password (or set KG_PUSH_PASSWORD)."),
             auth: str = typer.Option("auto", metavar="SCHEME",
                                      help="auto (answer the server's challenge), digest or basic."),
             method: str = typer.Option("PUT", metavar="METHOD", help="PUT replaces the graph, POST adds to it."),
             timeout: float = typer.Option(120.0, metavar="SECONDS", help="Seconds to wait for each request.")):
    """Upload a graph to a SPARQL server (SPARQL 1.1 Graph Store HTTP Protocol)."""
    try:
        done = gsp.push(_graph_file(graph), endpoint, graph_iri, graph_param, user, password, auth, method, timeout,
                        log=_info)
    except gsp.PushError as e:
        _err(f"kg push: {e}")
        raise typer.Exit(EXIT_USAGE)
    _info(f"kg push: {sum(n for _, n, _ in done)} triples in {len(done)} graph(s) -> {gsp.redact(endpoint)}")


def _check_format(command: str, fmt: str, formats) -> None:
    if fmt not in formats:
        _err(f"kg {command}: unknown format {fmt!r}; use {', '.join(formats)}")
        raise typer.Exit(EXIT_USAGE)


def _load(path: Path, loader=rdf_io.load_store):
    """The graph file (``-``: standard input) read by ``loader``: into pyoxigraph (queried like an
    rdflib Graph) by default."""
    shown = "standard input" if str(path) == STDIN else path
    path = _graph_file(path)
    if not path.is_file():
        _err(f"{path}: no such file")
        raise typer.Exit(EXIT_USAGE)
    try:
        with _phase(f"reading {shown}"):
            return loader(path)
    except Exception as e:  # the parsers raise many parser-specific types
        _err(f"{shown}: cannot parse as RDF: {e}")
        raise typer.Exit(EXIT_USAGE)


if __name__ == "__main__":
    app()
