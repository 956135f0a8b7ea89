"""Rendering on every core: the outputs of a large build rendered in forked worker processes.

The build's process forks workers that inherit the renderer (its compiled
templates, the model, the converted bodies) and render the outputs; the
build's process takes the results in the plan's order, so files, problems
and their order are what rendering one by one gives. Each worker also finds
the links in what it rendered (`linkcheck.links_in`), so the link check
only looks them up.

What a rendering *read* must come back too, because the cache keys each
rendering by it (the pages' views note templates' reads of their titles and
summaries, views.py, and history.History the git dates read): the worker
records the page fields and dates each rendering read, and the build's process
hands the rendering to the memo (`memo(output, render)`) through a `render`
that notes the same fields and dates again, in the renderer's views and the
history, before returning the worker's bytes. The memo cannot tell the
difference, so a build with the pool and one without keep the same cache
entries (tests/test_incremental_property.py compares incremental builds
with clean ones). A rendering the worker's memo already had is left to the
build's process's memo, which has it too.

Forking is unsafe once threads run (watch mode's observer, the preview
server): then, with few outputs, or with one core, outputs are rendered one
by one in the build's process.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading

import jinja2

from .history import History
from .linkcheck import links_in
from .problems import Report

PARALLEL_FROM = 200   # renderings before a second process pays for its start
MAX_PROCESSES = 4

_FORKED = None   # (renderer, outputs, memo) in the workers, inherited through fork


def worth_forking(count: int) -> bool:
    return count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1 \
        and "fork" in multiprocessing.get_all_start_methods()


class _Rendering:
    """`render(output)` for a memo: the renderer's own, noting whether it was called."""

    def __init__(self, renderer) -> None:
        self.shown, self.renderer, self.called = renderer.shown, renderer, False

    def render(self, output) -> bytes:
        self.called = True
        return self.renderer.render(output)


class _Replay:
    """`render(output)` for the build's process's memo: notes again what the worker's rendering
    read (so the memo's recording sees it), then gives the worker's bytes."""

    def __init__(self, renderer, history: History | None, html: bytes,
                 fields: tuple[tuple[str, str], ...], dates: tuple[str, ...]) -> None:
        self.shown, self.renderer, self.history = renderer.shown, renderer, history
        self.html, self.fields, self.dates = html, fields, dates

    def render(self, output) -> bytes:
        if self.html is None:   # the worker's memo had it, this one has not: not expected, but sound
            return self.renderer.render(output)
        for path, field in self.fields:
            self.shown.note(path, field)
        if self.history is not None:
            self.history.note(self.dates)
        return self.html


def _render_forked(index: int):
    """In a worker: (bytes or None if the memo had them, links in them, problems, fields read, dates read)."""
    renderer, outputs, memo = _FORKED
    output = outputs[index]
    report, rendering = Report(), _Rendering(renderer)
    history = renderer.history.recording() if renderer.history is not None else contextlib.nullcontext(set())
    with history as dates, renderer.shown.recording() as fields:
        html = renderer.render_or_report(output, report, memo, rendering.render)
    if html is None or not rendering.called:
        return None, None, tuple(report.problems), (), ()
    return html, links_in(html) if output.file.endswith(".html") else None, (), \
        tuple(sorted(fields)), tuple(sorted(dates))


def render_forked(renderer, outputs: list, report_for, memo) -> tuple[dict[str, bytes], dict]:
    """({file: bytes} of `outputs`, {file: (bytes, links in them)}), rendered by worker processes."""
    global _FORKED
    for name in renderer.env.list_templates():   # compiled once here, not once per worker
        try:
            renderer.env.get_template(name)
        except jinja2.TemplateError:
            pass   # reported by the renderings that use it
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    rendered, scanned = {}, {}
    _FORKED = (renderer, outputs, memo)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.imap(_render_forked, range(len(outputs)), chunksize=max(1, len(outputs) // (processes * 8)))
            for output, (html, links, problems, fields, dates) in zip(outputs, results):
                report = report_for(output)
                if problems:
                    report.extend(problems)
                    continue
                replay = _Replay(renderer, renderer.history, html, fields, dates)
                found = renderer.render_or_report(output, report, memo, replay.render)
                if found is None:
                    continue
                rendered[output.file] = found
                if links is not None and found is html:
                    scanned[output.file] = (found, links)
    finally:
        _FORKED = None
    return rendered, scanned

