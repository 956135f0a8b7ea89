"""The build: one function from (source tree, now) to the site.

    load -> check and model -> plan -> convert prose -> render -> write

Every stage adds its problems to one `Report`; the build stops before writing
if there is any error (or, with `strict`, any warning), so a bad edit can
never replace a good site.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from . import content, urls
from .content import build_guide
from .cache import Memo, NullMemo
from .progress import Progress, Silent
from .i18n import check_translations, load_catalogues, localize, ordered
from .linkcheck import LinkChecker, check_links
from .ical import CALENDAR_KEYS
from .living import Living, check_message_links
from .load import Source, load_tree
from .model import Guide
from .offline import check_offline, service_worker
from .phases import NAME_KEYS, Clock, check_phases_used, clock, publish, resolve_phases
from .results import official
from .plan import SERVICE_WORKER, TITLE_KEYS, Plan, fact_check_url, plan_site
from .problems import ContentError, Problem, Report
from .prose import LinkTargets, Prose
from .render import Renderer
from .search import Indexing, indexed_pages, search_files
from .timeline import Timeline, timeline
from .write import write_site


@dataclass
class Built:
    guide: Guide
    plan: Plan
    timeline: Timeline
    files: dict[str, bytes]
    warnings: list[Problem]
    clock: Clock
    parts: Parts   # what a body-only edit can reuse (quick.py)


@dataclass
class Parts:
    """The working parts of a successful build that a later body-only edit can reuse (quick.py).

    The model holds no Markdown bodies: only the conversion of each page reads
    one, from `sources`."""
    root: Path
    strict: bool
    drafts: bool
    sources: dict[str, Source]        # every file loaded, by path
    living: Living                    # with the git dates shown as "last updated" (living.history)
    dates_outside: frozenset[str]     # git dates read outside the traced renderings: before
                                      # them (by every output), and by the files made in code
    dates_read: dict[str, tuple[str, ...]] | None   # output URL -> git dates its rendering read
                                      # (traced by the cache; None: built without one, unknown)
    targets: LinkTargets
    renderer: Renderer
    links: LinkChecker
    early: tuple[Problem, ...]        # problems of loading, checking, modelling and planning
    late: dict[str, dict[str, tuple[Problem, ...]]]   # "prose"/"render"/"links" -> output URL -> problems

    def problems(self) -> Report:
        """The build's report, as the full build adds its problems: the early ones, then stage by stage."""
        report = Report.starting_with(self.early)
        for stage in LATE_STAGES:
            for problems in self.late[stage].values():
                report.extend(problems)
        return report


LATE_STAGES = ("prose", "render", "links")


def make_site(root: Path, now: dt.datetime, strict: bool = False, drafts: bool = False,
              memo: Memo | None = None, search: bool = True, progress: Progress | None = None) -> Built:
    """Load, check, model, plan and render; raises ContentError on problems.

    `drafts` builds pages and messages marked `draft: true` too (a preview).
    With a `memo` (one per build, over a store), results of earlier builds
    are reused where everything they read is unchanged; the result is the
    same either way (cache.py). Without `search`, the search index is left
    out (watch mode makes it later). `progress` shows each stage as it runs
    (progress.py; default: nothing)."""
    report = Report()
    memo = memo or NullMemo()
    try:
        return _make_site(root, now, strict, drafts, memo, search, report, progress or Silent())
    finally:
        memo.finish()


def _make_site(root: Path, now: dt.datetime, strict: bool, drafts: bool, memo: Memo,
               search: bool, report: Report, progress: Progress) -> Built:
    with progress.stage("load") as stage:
        tree = load_tree(root, report, memo.parse, content.FILES)
        stage.done = len(tree.files)
    checking = progress.begin("check", len(tree.files))
    guide = build_guide(tree, report, content.FILES)
    report.raise_if_failed(strict)   # nothing more can be checked without a sound model
    spans = resolve_phases(guide, report)
    check_phases_used(guide, report)
    default = guide.config.language
    catalogues = load_catalogues(tree, default, root / "templates", report, TITLE_KEYS + NAME_KEYS + CALENDAR_KEYS)
    check_translations(guide, default, report)   # every page and message, shown now or not
    report.raise_if_failed(strict)
    moment_clock = clock(guide, spans, now)
    all_pages = guide.pages
    guide, hidden = publish(guide, moment_clock, drafts)   # only what is shown at `now`
    hidden |= {urls.page_url(p.slug): hidden[p.path] for p in all_pages if p.path in hidden}
    guides = {lang: localize(guide, lang, default) for lang in ordered(default)}
    guide = guides[default]
    plan = plan_site(guides, catalogues, root / "static", report, official=official(guide.results, now),
                     files=content.FILES)
    _check_nav(guide, plan, report, hidden)
    check_message_links(guide, plan, hidden, report)
    check_offline(guide.config, plan, report)
    progress.end(checking)
    early = tuple(report.problems)
    late: dict[str, dict[str, tuple[Problem, ...]]] = {stage: {} for stage in LATE_STAGES}

    def report_for(stage: str, counter=None):
        """Each output's problems of a late stage in a report of its own (and the build's), remembered;
        asked once per output, which `counter` (a progress stage) counts."""
        def one(output):
            if counter is not None:
                counter.tick()
            return _OutputReport(report, late[stage], output.url)
        return one

    targets = LinkTargets(
        page_urls={**{p.path: urls.page_url(page.slug) for page in guide.pages for p in (page, *page.translations)},
                   **{c.path: fact_check_url(check.slug) for check in guide.fact_checks
                      for c in (check, *check.translations)}},
        site_urls=plan.urls(), static_files=plan.static_urls(), hidden=hidden)
    prose = Prose(targets, report, tree.files)
    memo.begin(root, tree)
    target_key = memo.targets_digest(targets, plan)
    shown = [o.page for o in plan.outputs if o.page is not None]
    prose.prepare(memo.unconverted(shown, target_key))   # on every core, if many
    bodies = {}
    with progress.stage("convert", sum(1 for o in plan.outputs if o.page is not None), "pages") as stage:
        for o in plan.outputs:
            if o.page is not None:
                prose.report = report_for("prose", stage)(o)
                localizer = functools.partial(plan.localize, lang=o.lang)
                bodies[o.url] = memo.convert(prose, o, target_key, localizer)
    prose.report = report
    report.raise_if_failed(strict)
    timelines = {lang: timeline(guides[lang], now) for lang in guides}
    moment = timelines[default]
    living = Living(root, guides, catalogues, moment_clock, plan)
    names = living.contexts()   # before set_moment: git dates read here are read for every output
    memo.set_moment(moment_clock, living.history, drafts)
    renderer = Renderer(root / "templates", guides, catalogues, timelines, plan, bodies,
                        names, memo.bytecode)
    with progress.stage("render", sum(1 for o in plan.outputs if o.template), "outputs") as stage:
        files = renderer.render_all(report_for("render", stage), memo.render, living.history)
        files.update(living.files())
    dates_outside = frozenset(living.history.read)   # the renderings' own reads are the cache's (dates_read)
    indexing = _start_search(indexed_pages(plan, files), memo) if search else None   # Pagefind works while links are checked
    links = LinkChecker(plan, guide.config.base_url, renderer.scanned)
    with progress.stage("link check", sum(1 for name in files if name.endswith(".html")), "pages") as stage:
        check_links(plan, files, links, report_for("links", stage), memo.links)
    try:
        report.raise_if_failed(strict)
    except ContentError:
        if indexing:
            indexing.cancel()
        raise
    if indexing:
        with progress.stage("search index", sum(1 for name in files if name.endswith(".html")), "pages"):
            files.update(indexing.result())
    files[urls.file_for(SERVICE_WORKER)] = service_worker(guide.config, plan, files)
    parts = Parts(root, strict, drafts, tree.files, living, dates_outside, memo.dates_read,
                  targets, renderer, links, early, late)
    return Built(guide, plan, moment, files, report.warnings, moment_clock, parts)


def _start_search(files: dict[str, bytes], memo: Memo) -> Indexing:
    """The search index of the rendered pages, made in the background (remembered where it can be)."""
    return Indexing(lambda cancelled: memo.search(files, functools.partial(search_files, cancelled=cancelled)))


class _OutputReport(Report):
    """One output's problems in one late stage: kept in `stage[url]`, in order, and added to the build's report."""

    def __init__(self, build: Report, stage: dict, url: str):
        super().__init__()
        self.build, self.stage, self.url = build, stage, url
        stage.setdefault(url, ())

    def _keep(self, problem: Problem) -> None:
        if problem not in self._seen:
            super()._keep(problem)
            self.stage[self.url] += (problem,)
            self.build.extend((problem,))


def build(root: Path, out: Path, now: dt.datetime, strict: bool = False, drafts: bool = False,
          memo: Memo | None = None, progress: Progress | None = None, search: bool = True) -> Built:
    """Build the guide at `root` into `out`, replacing it only on success (without `search`: no search index)."""
    built = make_site(root, now, strict, drafts, memo, search, progress)
    with (progress or Silent()).stage("write", len(built.files) + len(built.plan.static)):
        write_site(out, built.files, built.plan.static)
    return built


def _check_nav(guide: Guide, plan: Plan, report: Report, hidden: dict[str, str]) -> None:
    known = plan.urls() | plan.static_urls()
    for item in guide.config.nav:
        if item.link in hidden:
            report.add("guide.yaml", item.line, 0, f"navigation link '{item.title}' goes to {item.link}, "
                       f"which is not built now: {hidden[item.link]}",
                       "remove the link from the menu while the page is not published")
        elif item.link not in known:
            report.add("guide.yaml", item.line, 0, f"navigation link '{item.title}' goes to {item.link}, which does not exist",
                       "use the address of a page, e.g. /jadwal/ or /cara-mencoblos/")
