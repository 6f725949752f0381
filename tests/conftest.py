"""Shared fixtures: the seed corpus is built once per test session."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """Run `kg build data/raw --out DIR` once; return DIR (graph.ttl, build-report.md)."""
    out = tmp_path_factory.mktemp("seed_build")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(RAW), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    from kg.rdf.io import load_graph
    return load_graph(seed_build / "graph.ttl")


@pytest.fixture(scope="session")
def seed_build_trig(seed_build, tmp_path_factory) -> Path:
    """`kg build --format trig` of the seeds (reusing seed_build's per-article cache); returns DIR."""
    out = tmp_path_factory.mktemp("seed_build_trig")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(RAW), "--out", str(out),
                           "--format", "trig", "--update", "--cache", str(seed_build / ".kg-cache")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def seed_analyses():
    """The seed articles through ingest and nlp, in this process (loads the model once)."""
    from kg import nlp
    from kg.pipeline import read_articles
    failures: list = []
    return list(nlp.analyse(read_articles([RAW], failures)))


def analyse_text(text: str, date: str = "2025-11-14", doc_id: str = "t"):
    """One made-up article through ingest and nlp (the model is loaded once per process)."""
    from kg import nlp
    from kg.ingest import build_article
    article = dataclasses.replace(build_article(doc_id, f"{doc_id}.txt", text), date=date)
    return next(nlp.analyse([article]))


def extract_text(text: str, date: str = "2025-11-14"):
    from kg import extract
    return extract.extract(analyse_text(text, date))


@pytest.fixture(scope="session")
def extracted():
    """extract_text, as a fixture for tests that want it."""
    return extract_text


# Views of an extraction result that the rule tests compare with sets.
def rel(result):
    """(agent, predicate, target) of every act."""
    return {(a.agent, a.predicate, a.target) for a in result.acts}


def decisions(result):
    """(decider, scope, direction, products) of every decision made in the text (not recalled)."""
    return {(d.decider, d.scope, d.direction, d.products) for d in result.decisions if not d.background}


def stances(result):
    """(actor, for|against) of every stance."""
    return {(s.actor, s.stance) for s in result.stances}
