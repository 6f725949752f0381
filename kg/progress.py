"""Status lines for the phases a user waits on, so that no long phase runs in silence.

On a terminal the line ticks (``checking the graph (SHACL) … 12 s``) and ends with the
phase's time. Elsewhere (a log, a pipe) a phase says nothing unless it lasts longer than
``QUIET_SECONDS``: then one line when that much has passed and one when it ends, so short
runs print what they always printed and long ones are never silent.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

QUIET_SECONDS = 5.0       # "longer than a few seconds"
TICK_SECONDS = 0.5


class Status:
    """``with Status("checking the graph (SHACL)"):`` around a phase; ``enabled`` False (``--quiet``)
    prints nothing, ``always`` (``--verbose``) prints the phase's time even when it was short."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool = True, always: bool = False):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.always = always
        self.tty = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.spoke = False
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.started = 0.0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):     # a closed pipe: the phase goes on without its line
            pass

    def _run(self) -> None:
        if self.tty:
            while not self._done.wait(TICK_SECONDS):
                self._write(f"\r{self.label} … {self.elapsed:.0f} s\x1b[K")
                self.spoke = True
        elif not self._done.wait(QUIET_SECONDS):
            self._write(f"{self.label} … ({self.elapsed:.0f} s so far)\n")
            self.spoke = True

    def __enter__(self) -> "Status":
        self.started = time.perf_counter()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self.enabled and (self.spoke or self.always):
            self._write(("\r" if self.tty else "") + f"{self.label}: done in {self.elapsed:.1f} s"
                        + ("\x1b[K" if self.tty else "") + "\n")
