"""Quick rebuilds: an edit to the text of pages, below their front matter.

Most saves in watch mode change only the Markdown body of a page or fact
check. Everything the build derives from the rest of the tree (the model,
the plan, the other pages, the problems of loading and checking) is then
exactly what the last successful build derived, so `rebuild_bodies` redoes
only what reads those bodies, or the edited files' git dates: converting
them, rendering and link-checking the outputs that show them, and the
service worker (it digests the offline pages). At 5,000 pages that is a
few milliseconds instead of seconds.

The result must equal the full build's, byte for byte and problem for
problem, so the quick way is taken only when that is certain, and otherwise
declined (None: the caller runs the full build):

- the last build succeeded, with the same settings, and `now` is still in its
  stretch of unchanging time (phases.Clock);
- every changed path is a Markdown file of that build whose front matter
  (and the line its body starts on) is unchanged, and whose body is not blank
  before or after (a blank fact check is an error of the model);
- the git dates shown as "last updated" that moved (the first save of a
  committed file drops its date, as its text is no longer the commit's; a
  commit made in a terminal adds dates) were read only by renderings, which
  the cache traced: the outputs that read one (the page, the sitemap, the
  feed...) are rendered again too, and any other reader (the calendars read
  the schedule's date) declines;
- the last build had a cache, which traced the dates its renderings read
  (and the model holds no Markdown: rendering reads only each page's converted
  text, made here from the new `sources`);
- converting, rendering and link-checking the changed outputs reports no
  problem (the full build then reports it, with the whole list).

The problems of the unchanged outputs are kept and those of the changed
outputs replaced, in the order the full build reports them (builder.Parts).
The search index is not remade here: watch mode refreshes it once edits
pause (watch.py). tests/test_incremental.py checks random edit sequences
against clean builds after every step.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
from pathlib import Path

from . import urls
from .builder import Built
from .history import History, git_dates
from .load import Source, parse_markdown_source, read_text
from .offline import service_worker
from .plan import SERVICE_WORKER
from .problems import Report
from .prose import Prose


def rebuild_bodies(previous: Built, changed: set[str], now: dt.datetime, strict: bool,
                   drafts: bool) -> Built | None:
    """The build after body-only edits of the files `changed` (paths relative to the root), or None."""
    parts = previous.parts
    if parts.dates_read is None or (parts.strict, parts.drafts) != (strict, drafts):
        return None
    if not previous.clock.holds(now) or not changed:
        return None
    sources = dict(parts.sources)
    for relative in changed:
        source = _body_edit(parts.root, relative, parts.sources.get(relative))
        if source is None:
            return None
        sources[relative] = source
    living = copy.copy(parts.living)
    living.history = History(git_dates(parts.root, previous.guide.config.timezone))
    moved = _moved(parts.living.history.last_commit, living.history.last_commit)
    if moved & parts.dates_outside:
        return None

    plan = previous.plan
    dated = parts.dates_read
    redo = [o for o in plan.outputs if o.page is not None and o.page.path in changed
            or moved and moved.intersection(dated.get(o.url, ()))]
    bodies = dict(parts.renderer.bodies)
    prose = Prose(parts.targets, Report(), sources)
    for output in redo:
        if output.page is not None and output.page.path in changed:
            localize = functools.partial(plan.localize, lang=output.lang)
            bodies[output.url] = prose.convert(output.page, output.url, localize)
    renderer = copy.copy(parts.renderer)
    renderer.bodies, renderer.living = bodies, living.contexts()
    files = dict(previous.files)
    report = Report()
    dates_read = dict(parts.dates_read)
    for output in redo:
        living.history.read = set()
        files.update(renderer.render_one(output, report))
        dates_read[output.url] = tuple(sorted(living.history.read))
        if output.file in files and output.file.endswith(".html"):
            parts.links.check(output, files[output.file], report)
    living.history.read = set(parts.dates_outside)
    if prose.report.problems or report.problems:
        return None
    redone = {output.url for output in redo}
    late = {stage: {url: () if url in redone else found for url, found in problems.items()}
            for stage, problems in parts.late.items()}
    files[urls.file_for(SERVICE_WORKER)] = service_worker(previous.guide.config, plan, files)
    parts = dataclasses.replace(parts, sources=sources, living=living, dates_read=dates_read, renderer=renderer,
                                late=late)
    fixed = any(problems.get(url) for problems in previous.parts.late.values() for url in redone)
    warnings = parts.problems().warnings if fixed else previous.warnings   # none came, did any go?
    return dataclasses.replace(previous, files=files, warnings=warnings, parts=parts)


def _moved(before: dict[str, dt.date], after: dict[str, dt.date]) -> set[str]:
    """The paths whose git date differs (appeared, changed or disappeared)."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def _body_edit(root: Path, relative: str, before: Source | None) -> Source | None:
    """The file's new Source if only its (non-blank) body changed since `before`, else None."""
    if before is None or not relative.endswith(".md") or not before.ok or not before.body.strip():
        return None
    report = Report()
    text = read_text(root, relative, report)
    if text is None:
        return None
    after = parse_markdown_source(relative, text, report)
    if report.problems or not after.ok or not after.body.strip() or after.body_line != before.body_line:
        return None
    return after if after.front == before.front else None
