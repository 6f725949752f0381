"""The same input gives byte-identical output: across runs, hash seeds and worker counts.

Each build runs in its own process with a different PYTHONHASHSEED, so an
output that followed set or dict order of strings would differ.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_escaping import write_hostile_corpus

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


def _build(inputs: list[Path], out: Path, *extra: str, hashseed: int) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed))
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode


def test_seed_builds_are_byte_identical(seed_build, tmp_path):
    _build([RAW], tmp_path / "again", hashseed=12345)
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == (seed_build / "graph.ttl").read_bytes()


@pytest.fixture(scope="module")
def odd_corpus(tmp_path_factory) -> Path:
    """Seeds (one in Big5), hostile text, odd file names, JSONL records, and a file that fails."""
    folder = tmp_path_factory.mktemp("odd") / "in"
    write_hostile_corpus(folder)
    import opencc
    seeds = sorted(RAW.glob("*.txt"))
    shutil.copy(seeds[1], folder / seeds[1].name)
    trad = opencc.OpenCC("s2t").convert(seeds[4].read_text(encoding="utf-8"))
    (folder / "traditional big5 #1.txt").write_bytes(trad.encode("big5", "replace"))
    (folder / os.fsdecode(b"\xff\xfe odd.txt")).write_text(seeds[0].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def odd_builds(odd_corpus, tmp_path_factory) -> tuple[Path, Path]:
    """The odd corpus built twice: one worker with hash seed 1, two workers with hash seed 2."""
    base = tmp_path_factory.mktemp("odd-builds")
    assert _build([odd_corpus], base / "one", "--workers", "1", hashseed=1) == 1    # empty.txt fails
    assert _build([odd_corpus], base / "two", "--workers", "2", hashseed=2) == 1
    return base / "one", base / "two"


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "nt", "jsonld"])
def test_one_and_two_workers_give_the_same_bytes(odd_corpus, odd_builds, fmt):
    one, two = odd_builds
    if fmt != "ttl":
        for out, seed in ((one, 3), (two, 4)):
            # the articles come from each build's own cache: this compares the serialisers
            assert _build([odd_corpus], out, "--format", fmt, "--update", hashseed=seed) == 1
    a, b = (one / f"graph.{fmt}").read_bytes(), (two / f"graph.{fmt}").read_bytes()
    assert a == b
    assert len(a) > 100_000
