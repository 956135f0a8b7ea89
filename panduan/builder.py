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
from .load import load_tree
from .model import Guide
from .offline import check_offline, layout as offline_layout, service_worker
from .phases import NAME_KEYS, Clock, check_phases_used, clock, publish, resolve_phases
from .results import official
from .plan import SERVICE_WORKER, TITLE_KEYS, Plan, fact_check_url, plan_site
from .problems import ContentError, Problem, Report
from .prose import LinkTargets, Prose
from .render import Renderer
from .search import Indexing, indexed_pages, search_files
from .snapshot import Snapshot
from .timeline import Timeline, timeline
from .write import Staged


@dataclass
class Built:
    guide: Guide
    plan: Plan
    timeline: Timeline
    files: dict[str, bytes]
    warnings: list[Problem]
    clock: Clock
    rendered: int   # outputs rendered, or recalled from the store, rather than reused from the last build as they were


def make_site(root: Path, now: dt.datetime, strict: bool = False, drafts: bool = False,
              memo: Memo | None = None, search: bool = True, progress: Progress | None = None,
              meanwhile=None, snapshot: Snapshot | None = None) -> Built:
    """Load, check, model, plan and render; raises ContentError on problems.

    `drafts` builds pages and messages marked `draft: true` too (a preview).
    With a `memo` (one per build, over a store), results of earlier builds
    are reused where everything they read is unchanged; the result is the
    same either way (cache.py). Without `search`, the search index is left
    out (watch mode makes it later). `progress` shows each stage as it runs
    (progress.py; default: nothing). `meanwhile(files, static)` is given, once every check has
    passed and while the search index is being made, the files and static files made so far
    (final: only the index and sw.js come after them): `build` writes them meanwhile.

    Every file is read through `snapshot` (snapshot.py; by default a new one of `root`), at most
    once: cli.py passes the one it read for the build's key."""
    report = Report()
    memo = memo or NullMemo()
    snapshot = snapshot or Snapshot(root, *memo.git_before())
    snapshot.git   # asked now: its answers ("last updated" dates) come while the build goes on
    try:
        return _make_site(snapshot, now, strict, drafts, memo, search, report, progress or Silent(), meanwhile)
    finally:
        memo.finish(snapshot.git_answers())   # waits for git even if a problem stopped the build first


def _make_site(snapshot: Snapshot, now: dt.datetime, strict: bool, drafts: bool, memo: Memo,
               search: bool, report: Report, progress: Progress, meanwhile) -> Built:
    with progress.stage("load") as stage:
        tree = memo.load(snapshot, report, lambda report: load_tree(snapshot, report, memo.parse, content.FILES))
        stage.done = len(tree.files)
    checking = progress.begin("check", len(tree.files))
    memo.begin(snapshot, tree)
    if report.problems:   # loading found some: the model's are reported with them, as one list
        modelled = _model(snapshot, tree, now, strict, drafts, report)
    else:
        modelled, problems = memo.model(_model, snapshot, tree, now, strict, drafts)
        report.extend(problems)
    guides, catalogues, moment_clock, plan = modelled.guides, modelled.catalogues, modelled.clock, modelled.plan
    default = catalogues.default
    guide = guides[default]
    progress.end(checking)

    def report_for(counter):
        """The report of each output, asked once per output, which `counter` (a progress stage) counts."""
        def one(output):
            counter.tick()
            return report
        return one

    # each late stage does the outputs the memo has no result for (all of them without a last build)
    prose = Prose(modelled.targets, report, tree.files)
    target_key = memo.targets_digest(modelled.targets, plan)
    shown = memo.per_model("shown", lambda: [o for o in plan.outputs if o.page is not None])
    with progress.stage("convert", len(shown), "pages") as stage:
        todo, bodies = memo.todo("prose", shown, report)
        stage.done += len(bodies)
        prose.prepare(memo.unconverted(todo, target_key))   # on every core, if many
        for o in todo:
            stage.tick()
            bodies[o.url] = memo.convert(prose, o, target_key, functools.partial(plan.localize, lang=o.lang))
    report.raise_if_failed(strict)
    timelines = {lang: timeline(guides[lang], now) for lang in guides}
    moment = timelines[default]
    dates = snapshot.git.dates(guide.config.timezone)   # asked at the start: git answered meanwhile
    living = Living(guides, catalogues, moment_clock, plan, dates, memo.per_model)
    with living.history.recording() as dated:   # git dates read here are read for every output
        names = living.contexts()
    memo.set_moment(moment_clock, living.history, drafts, dated)
    renderer = Renderer(snapshot, guides, catalogues, timelines, plan, bodies,
                        names, memo.bytecode, functools.partial(memo.per_model, "views"))
    templated = memo.per_model("templated", lambda: [o for o in plan.outputs if o.template])   # others: in code
    with progress.stage("render", len(templated), "outputs") as stage:
        todo, kept = memo.todo("render", templated, report)
        stage.done += len(kept)
        rendered = renderer.render_all(todo, report_for(stage), memo.render, living.history)
        addresses = memo.per_model("addresses", lambda: [(o.url, o.file) for o in templated])
        files = {file: data for url, file in addresses   # in the plan's order
                 if (data := kept.get(url, rendered.get(file))) is not None}
        files.update(memo.made_in_code(living.files, living.files_read()))
    indexing = _start_search(indexed_pages(plan, files), memo) if search else None   # Pagefind works while links are checked
    links = LinkChecker(plan, guide.config.base_url, renderer.scanned)
    pages = memo.per_model("pages", lambda: [o for o in plan.outputs if o.file.endswith(".html")])
    with progress.stage("link check", len(pages), "pages") as stage:
        todo, checked = memo.todo("links", pages, report, links.context)
        stage.done += len(checked)
        check_links(todo, files, links, report_for(stage), memo.links)
    try:
        report.raise_if_failed(strict)
    except ContentError:
        if indexing:
            indexing.cancel()
        raise
    if indexing:
        with progress.stage("search index", sum(1 for name in files if name.endswith(".html")), "pages"):
            if meanwhile is not None:
                try:
                    meanwhile(files, plan.static)   # while Pagefind works
                except BaseException:
                    indexing.cancel()
                    raise
            files.update(indexing.result())
    files[urls.file_for(SERVICE_WORKER)] = service_worker(
        guide.config, plan, files, memo.per_model("offline layout", lambda: offline_layout(guide.config, plan)),
        memo.lasting("offline digests", dict))
    memo.succeeded()
    return Built(guide, plan, moment, files, report.warnings, moment_clock, len(rendered))


@dataclass(frozen=True)
class Modelled:
    """What checking and modelling the loaded tree makes: everything before the prose."""
    guides: dict[str, Guide]          # by language, the default first; only what is shown at `now`
    catalogues: object                # i18n.Catalogues
    clock: Clock                      # the stretch of time in which none of this changes
    plan: Plan
    targets: LinkTargets


def _model(snapshot: Snapshot, tree, now: dt.datetime, strict: bool, drafts: bool, report: Report) -> Modelled:
    """Check and model the tree, plan the site; raises ContentError on problems (with `strict`, warnings too).

    A function of the files' front matter and data (not of Markdown bodies, but of whether one is
    blank), of templates/ and static/, and of the stretch of time `now` is in (cache.py remembers it)."""
    guide = build_guide(tree, report, content.FILES)
    report.raise_if_failed(strict)   # nothing more can be checked without a sound model
    spans = resolve_phases(guide, report)
    check_phases_used(guide, report)
    default = guide.config.language
    catalogues = load_catalogues(tree, default, snapshot, report, TITLE_KEYS + NAME_KEYS + CALENDAR_KEYS)
    check_translations(guide, default, report)   # every page and message, shown now or not
    report.raise_if_failed(strict)
    moment_clock = clock(guide, spans, now)
    all_pages = guide.pages
    guide, hidden = publish(guide, moment_clock, drafts)   # only what is shown at `now`
    hidden |= {urls.page_url(p.slug): hidden[p.path] for p in all_pages if p.path in hidden}
    guides = {lang: localize(guide, lang, default) for lang in ordered(default)}
    guide = guides[default]
    plan = plan_site(guides, catalogues, snapshot, report, official=official(guide.results, now),
                     files=content.FILES)
    _check_nav(guide, plan, report, hidden)
    check_message_links(guide, plan, hidden, report)
    check_offline(guide.config, plan, report)
    targets = LinkTargets(
        page_urls={**{p.path: urls.page_url(page.slug) for page in guide.pages for p in (page, *page.translations)},
                   **{c.path: fact_check_url(check.slug) for check in guide.fact_checks
                      for c in (check, *check.translations)}},
        site_urls=plan.urls(), static_files=plan.static_urls(), hidden=hidden)
    return Modelled(guides, catalogues, moment_clock, plan, targets)


def _start_search(files: dict[str, bytes], memo: Memo) -> Indexing:
    """The search index of the rendered pages, made in the background (remembered where it can be)."""
    return Indexing(lambda cancelled: memo.search(files, functools.partial(search_files, cancelled=cancelled)))


def build(root: Path, out: Path, now: dt.datetime, strict: bool = False, drafts: bool = False,
          memo: Memo | None = None, progress: Progress | None = None, search: bool = True,
          snapshot: Snapshot | None = None) -> Built:
    """Build the guide at `root` into `out`, replacing it only on success (without `search`: no search index).

    The site is written into a fresh folder while Pagefind indexes it (Pagefind leaves half
    a core idle), and swapped in once all of it is written."""
    staged: Staged | None = None

    def meanwhile(files: dict[str, bytes], static) -> None:
        nonlocal staged
        staged = Staged(out)
        staged.add(files, static)

    try:
        built = make_site(root, now, strict, drafts, memo, search, progress, meanwhile, snapshot)
        with (progress or Silent()).stage("write", len(built.files) + len(built.plan.static)):
            staged = staged or Staged(out)   # none yet without a search index
            staged.add(built.files, built.plan.static)   # what came after: the search index and sw.js
            staged.finish()
    except BaseException:
        if staged is not None:
            staged.abandon()
        raise
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
