"""Every ```console block of README.md whose output is shown is run, and prints what it shows.

Each block runs in the checkout as after ``make build``, but with a copy of the seed build
standing for ``out/`` (so nothing of the checkout is written) and this Python's kg for
``.venv/bin/kg``. A command's standard output and error are compared with the
lines shown under it, after three allowances that README readers can see for themselves:
times (``8.4 s``) may differ, a table cell or line shown ending in ``…`` was cut short (so a
table is compared cell by cell, whatever its padding), and a line ``...`` stands for any lines. The lines of the status of a long phase (kg.progress) and
the progress bar, which depend on the machine's speed and on a terminal, are left out. A
block preceded by ``<!-- not run by tests: WHY -->`` is not run (a server it needs, or a
long build), and says why.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(?:<!-- (?P<skip>not run by tests[^>]*) -->\s*\n)?```console\n(?P<body>.*?)```", re.S)
TIME = re.compile(r"\d+(\.\d+)? s\b")
STATUS = re.compile(r" … \(\d+ s so far\)$|: done in [\d.]+ s$")


def blocks() -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """(line number, [(command, shown output lines)]) of every console block that is run."""
    text = README.read_text(encoding="utf-8")
    out = []
    for m in BLOCK.finditer(text):
        if m.group("skip"):
            continue
        steps: list[tuple[str, list[str]]] = []
        lines = m.group("body").splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):
                    i += 1
                    command = command[:-1] + lines[i].strip()
                steps.append((command, []))
            elif steps:
                steps[-1][1].append(line)
            i += 1
        out.append((text[:m.start()].count("\n") + 1, steps))
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def line_matches(shown: str, got: str) -> bool:
    shown, got = TIME.sub("N s", shown), TIME.sub("N s", got)
    if shown.lstrip().startswith("|"):             # a table: cell by cell (cut cells make columns narrower)
        a, b = _cells(shown), _cells(got)
        if all(re.fullmatch(r"-+", c) for c in a):         # a table's rule: as wide as its cells
            return len(a) == len(b) and all(re.fullmatch(r"-+", c) for c in b)
        return len(a) == len(b) and all(x == y or (x.endswith("…") and y.startswith(x[:-1])) for x, y in zip(a, b))
    if shown.rstrip().endswith("…"):
        return got.startswith(shown.rstrip()[:-1])
    return shown.rstrip() == got.rstrip()


def output_matches(shown: list[str], got: list[str]) -> bool:
    """``shown`` against ``got`` line by line; a shown ``...`` takes any lines (none or more)."""
    if not shown:
        return not got
    if shown[0] == "...":
        return any(output_matches(shown[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and line_matches(shown[0], got[0]) and output_matches(shown[1:], got[1:])


OUT = re.compile(r"(?<![\w/.-])out(?=/|\s|$)")


@pytest.fixture(scope="module")
def workspace(seed_build, tmp_path_factory) -> Path:
    """A copy of the seed build, to stand for ``out/`` (the commands write into it)."""
    out = tmp_path_factory.mktemp("readme") / "out"
    shutil.copytree(seed_build, out, symlinks=True)
    return out


def run_shown(command: str, out: Path) -> subprocess.CompletedProcess:
    """``command`` as a user types it in the checkout, with ``out`` standing for ``out/`` and this
    Python's kg for ``.venv/bin/kg``; its output with ``out`` written back as ``out``."""
    real = OUT.sub(str(out), command).replace(".venv/bin/kg", f"{sys.executable} -m kg.cli")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", real + " 2>&1"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "100"})
    proc.stdout = proc.stdout.replace(str(out), "out")
    return proc


def test_the_readme_has_console_blocks_to_run():
    runnable = blocks()
    assert len(runnable) >= 8 and all(steps for _, steps in runnable)


@pytest.mark.parametrize("line,steps", blocks(), ids=[f"README.md:{n}" for n, _ in blocks()])
def test_console_block(workspace, line, steps):
    for command, shown in steps:
        proc = run_shown(command, workspace)
        got = [g for g in proc.stdout.splitlines() if not STATUS.search(g)]
        got = ["reading" if g.startswith("reading") else g for g in got]
        assert proc.returncode == 0, f"README.md:{line}: `{command}` failed:\n{proc.stdout}"
        if shown:
            shown = ["reading" if s.startswith("reading") else s for s in shown]
            assert output_matches(shown, got), (f"README.md:{line}: `{command}` prints\n" + "\n".join(got)
                                                + "\n\nbut the README shows\n" + "\n".join(shown))


def test_the_comparison_allows_only_what_it_says():
    assert line_matches("| a | b… |", "|  a   | bcd |") and not line_matches("| a | b… |", "| a | xcd |")
    assert not line_matches("| a | b |", "| a | b | c |") and line_matches("|---|--|", "|-----|------|")
    assert line_matches("done (8.4 s)", "done (12.0 s)") and not line_matches("done (8.4 s)", "done (12.0 s) x")
    assert line_matches("SHACL: conforms…", "SHACL: conforms to x") and not line_matches("a b", "a  b")
    assert output_matches(["a", "...", "z"], ["a", "b", "c", "z"]) and output_matches(["a", "...", "z"], ["a", "z"])
    assert not output_matches(["a", "...", "z"], ["a", "b"]) and not output_matches(["a"], ["a", "b"])
