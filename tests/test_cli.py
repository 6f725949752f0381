"""Command-line conventions: -h, --version, --quiet/--verbose, - for standard input,
--format json for eval and validate, plain help with conventional metavars, status lines
for long phases, and a clear message for --dask without Dask. In this process (typer's
runner) where it can be, so that the checks cost no interpreter start each."""
from __future__ import annotations

import io
import json
import re
import threading
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from typer.testing import CliRunner

from kg import progress
from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["setup", "build", "facts", "eval", "report", "export", "validate", "query", "push"]


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(app, list(args), input=input, prog_name="kg")


def test_version_and_short_help():
    assert run("--version").stdout == f"kg {version('kg')}\n"
    for command in COMMANDS:
        result = run(command, "-h")
        assert result.exit_code == 0 and result.stdout.startswith(f"Usage: kg {command} "), command


def test_help_is_plain_and_nothing_is_swallowed():
    build = run("build", "--help").stdout
    assert "[default: OUT/.kg-cache]" in build and "--cache DIR" in build
    assert re.search(r"ttl, trig, nq, nt or\s+jsonld", build)
    push = run("push", "--help").stdout
    assert re.search(r"-u, --user USER\s+User name", push)
    usage = {c: run(c, "-h").stdout.splitlines()[0] for c in ("build", "export", "query", "facts")}
    assert usage == {"build": "Usage: kg build [OPTIONS] INPUT...", "export": "Usage: kg export [OPTIONS] GRAPH",
                     "query": "Usage: kg query [OPTIONS] [GRAPH] QUERY", "facts": "Usage: kg facts [OPTIONS] GRAPH"}
    for command in COMMANDS:
        text = run(command, "--help").stdout
        assert "{" not in text.split("\n")[0] and "<list" not in text, f"{command}: typer's type labels"
        options = text[text.index("Options:"):]
        assert not re.search(r"<(str|int|float|bool|path)", options), f"{command}: a type shown as a metavar"
        assert "\x1b[" not in text and "╭" not in text, f"{command}: markup in the help"


def test_quiet_and_verbose(seed_build, tmp_path):
    graph = str(seed_build / "graph.ttl")
    loud = run("export", graph, "--out", str(tmp_path / "a"))
    quiet = run("--quiet", "export", graph, "--out", str(tmp_path / "b"))
    assert loud.exit_code == quiet.exit_code == 0
    assert "6 tables" in loud.stderr and quiet.stderr == ""
    verbose = run("--verbose", "validate", graph)
    assert verbose.exit_code == 0 and re.search(r"checking the graph \(SHACL\): done in [\d.]+ s", verbose.stderr)
    assert run("-q", "-v", "facts", graph).exit_code == 2


def test_graphs_from_standard_input(seed_build):
    """- reads the graph from standard input, in whichever format it is written."""
    graph = seed_build / "graph.ttl"
    want = run("facts", str(graph)).stdout
    assert want and run("facts", "-", input=graph.read_bytes()).stdout == want
    ds = Dataset()
    ds.graph(URIRef("https://example.org/g")).parse(graph, format="turtle")
    assert run("facts", "-", input=ds.serialize(format="nquads", encoding="utf-8")).stdout == want
    lobbying = run("query", str(graph), "lobbying", "--format", "csv").stdout
    assert run("query", "-", "lobbying", "--format", "csv", input=graph.read_bytes()).stdout == lobbying
    text = (ROOT / "ontology" / "queries" / "lobbying.rq").read_text(encoding="utf-8")
    assert run("query", str(graph), "-", "--format", "csv", input=text).stdout == lobbying
    both = run("query", "-", "-", input=text)
    assert both.exit_code == 2 and "not both" in both.stderr


def test_eval_and_validate_as_json(seed_build):
    graph = str(seed_build / "graph.ttl")
    scores = json.loads(run("eval", "--gold", str(ROOT / "tests" / "gold"), graph, "--format", "json").stdout)
    text = run("eval", "--gold", str(ROOT / "tests" / "gold"), graph).stdout
    assert f"entity F1 {scores['entity']['f1']:.3f} | relation F1 {scores['relation']['f1']:.3f}" in text
    checked = run("validate", graph, "--format", "json")
    report = json.loads(checked.stdout)
    assert checked.exit_code == 0 and report["conforms"] is True and report["violations"] == 0
    assert report["triples"] > 1000
    assert run("validate", graph, "--format", "xml").exit_code == 2


def test_a_missing_graph_is_one_line(tmp_path):
    missing = str(tmp_path / "nothing.ttl")
    for args in (["facts", missing], ["validate", missing], ["export", missing, "--out", str(tmp_path)]):
        result = run(*args)
        assert result.exit_code == 2 and result.stderr == f"{missing}: no such file\n", args


def test_dask_without_dask_says_what_to_install(monkeypatch, tmp_path):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    result = run("build", str(tmp_path), "--dask", "local", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "pip install 'kg[dask]'" in result.stderr
    assert not (tmp_path / "o").exists()


def test_status_line_of_a_long_phase(monkeypatch):
    """Off a terminal a phase says nothing until it has lasted QUIET_SECONDS, then one line, and
    one with its time at the end; --quiet says nothing at all."""
    monkeypatch.setattr(progress, "QUIET_SECONDS", 0.01)
    out = io.StringIO()
    with progress.Status("checking", stream=out) as status:
        deadline = time.monotonic() + 60
        while not status.spoke and time.monotonic() < deadline:    # wait for the line, however busy the machine
            time.sleep(0.01)
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"checking … \(\d+ s so far\)", lines[0]) and re.fullmatch(r"checking: done in [\d.]+ s",
                                                                               lines[1])
    silent = io.StringIO()
    with progress.Status("checking", stream=silent, enabled=False):
        threading.Event().wait(0.05)
    assert silent.getvalue() == ""
    short = io.StringIO()
    monkeypatch.setattr(progress, "QUIET_SECONDS", 3600)
    with progress.Status("quick", stream=short):
        pass
    assert short.getvalue() == ""
