"""Nothing lost: `kg build` killed with SIGKILL at any point leaves the previous
graph.ttl (and build-report.md) byte for byte as they were, and still parseable.

The killed builds read three seed articles; the previous output is the build of
all five, so a build that got as far as replacing the graph would be noticed.
Early points are reached by time (the process is killed while it starts, loads
the model, reads); the late ones by a hook that kills the process from inside at
an exact step of writing, where a timer could not aim reliably.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

# Runs `kg build` with one step of writing graph.ttl replaced by SIGKILL to itself.
HOOKED = r'''
import os, signal, sys
point = sys.argv[1]
sys.argv = ["kg"] + sys.argv[2:]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

from kg.rdf import assemble
if point == "after-serialise":           # the file's bytes are in memory, nothing written yet
    real_serialize = assemble.Assembly.serialize
    def serialize(*a, **k):
        real_serialize(*a, **k)
        die()
    assemble.Assembly.serialize = serialize
elif point == "half-written":            # half the bytes are in the temporary file
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, f, name):
            self.f, self.name = f, name
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.f.__exit__(*exc)
        def write(self, data):
            if ".graph.ttl." in self.name:
                self.f.write(data[:len(data) // 2])
                self.f.flush()
                die()
            return self.f.write(data)
        def __getattr__(self, attr):
            return getattr(self.f, attr)
    def fdopen(fd, *a, **k):
        return Half(real_fdopen(fd, *a, **k), os.readlink(f"/proc/self/fd/{fd}"))
    os.fdopen = fdopen
elif point == "before-rename":           # the temporary file is complete and synced
    real_replace = os.replace
    def replace(src, dst):
        if str(dst).endswith("graph.ttl"):
            die()
        return real_replace(src, dst)
    os.replace = replace

from kg.cli import app
app()
'''


@pytest.fixture
def previous(seed_build, tmp_path) -> Path:
    """An output folder holding a finished build of all five seeds."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.ttl", "build-report.md"):
        shutil.copy(seed_build / name, out / name)
    return out


@pytest.fixture(scope="module")
def three_seeds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("three")
    for p in sorted(RAW.glob("*.txt"))[:3]:
        shutil.copy(p, folder / p.name)
    return folder


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "build-report.md")}


def _assert_intact(out: Path, before: dict[str, bytes]) -> None:
    import pyoxigraph
    import rdflib
    assert _snapshot(out) == before
    data = (out / "graph.ttl").read_bytes()
    g = rdflib.Graph().parse(data=data, format="turtle")
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) == len(store) > 1000
    # whatever the killed build left behind are temporary files, never a graph under its real name
    left = {p.name for p in out.iterdir()} - {"graph.ttl", "build-report.md", ".kg-cache"}
    assert all(name.startswith((".graph.ttl.", ".build-report.md.")) and name.endswith(".tmp")
               for name in left), left


@pytest.mark.parametrize("seconds", [0.5, 2.0, 5.0])
def test_killed_after_a_while(previous, three_seeds, seconds):
    before = _snapshot(previous)
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(three_seeds), "--out", str(previous)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the build ended before it could be killed"
    _assert_intact(previous, before)


@pytest.mark.parametrize("point", ["after-serialise", "half-written", "before-rename"])
def test_killed_while_writing(previous, three_seeds, point):
    before = _snapshot(previous)
    proc = subprocess.run([sys.executable, "-c", HOOKED, point, "build", str(three_seeds), "--out", str(previous)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    _assert_intact(previous, before)
    if point != "after-serialise":      # the hook did fire inside write_atomic
        assert any(p.name.startswith(".graph.ttl.") for p in previous.iterdir())
    if point == "half-written":         # and the next build, undisturbed, replaces the graph
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(three_seeds), "--out", str(previous)],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        import rdflib
        from kg.rdf.namespaces import KGO
        g = rdflib.Graph().parse(previous / "graph.ttl", format="turtle")
        assert len({str(o) for o in g.objects(None, KGO.docId)}) == 3
