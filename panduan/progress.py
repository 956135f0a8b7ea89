"""Progress: what a long build is doing, on stderr.

On a terminal each stage shows a line that counts up as it works
("render 1200/5000") and ends as "render: 5000 outputs in 1.83s"; elsewhere
(CI, a pipe, a file) only that last line is printed, once per stage. `--quiet`
prints nothing. The report after the build (pages built, phase, next change)
is not progress and is printed either way, on stdout.
"""
from __future__ import annotations

import contextlib
import sys
import time

REFRESH_SECONDS = 0.1   # a terminal line is redrawn at most this often


class Stage:
    """One stage under way: `tick()` once per item done."""

    def __init__(self, progress: "Progress", name: str, total: int | None, unit: str):
        self.progress, self.name, self.total, self.unit = progress, name, total, unit
        self.done = 0
        self.started = self.drawn = time.perf_counter()

    def tick(self) -> None:
        self.done += 1
        if self.progress.live and time.perf_counter() - self.drawn >= REFRESH_SECONDS:
            self.drawn = time.perf_counter()
            of = f"/{self.total}" if self.total is not None else ""
            self.progress.write(f"\r{self.name} {self.done}{of}\x1b[K")


class Progress:
    """Prints each stage of a build; `live` (default: is `stream` a terminal?) redraws counts as they rise."""

    def __init__(self, stream=None, live: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() if live is None else live

    def write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def begin(self, name: str, total: int | None = None, unit: str = "files") -> Stage:
        if self.live:
            self.write(f"\r{name}\x1b[K")
        return Stage(self, name, total, unit)

    def end(self, stage: Stage) -> None:
        """The stage's line: its count (the ticks, or `total`, or what was set as `stage.done`) and time."""
        took = time.perf_counter() - stage.started
        line = f"{stage.name}: {stage.done or stage.total or 0} {stage.unit} in {took:.2f}s"
        self.write(f"\r{line}\x1b[K\n" if self.live else f"{line}\n")

    def clear(self) -> None:
        """Before other output (the problems of a failed build): erase a stage's unfinished line."""
        if self.live:
            self.write("\r\x1b[K")

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "files"):
        """A stage from `with` to its end; a failure leaves its line unfinished (see `clear`)."""
        stage = self.begin(name, total, unit)
        yield stage
        self.end(stage)


class Silent(Progress):
    """No progress (--quiet, tests, watch mode): the same calls, printing nothing."""

    def __init__(self) -> None:
        self.live = False

    def write(self, text: str) -> None:
        pass
