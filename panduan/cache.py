"""Cache: remember the build's work, keyed by exactly what it read.

An incremental rebuild is the ordinary build (`builder.make_site`) with a
`Memo` passed in; there is no second code path. One `Memo` per build, over
the persistent `Store` (store.py): every stage that is worth remembering is
`memo.stage(name, key, fn, ...)`, which returns the stage's value and the
problems it reported, remembered under a key that is a digest of everything
the result depends on, or computed. `NullMemo` computes every stage (`check`
and `--no-cache`). The stages and their keys:

- the whole site (cli.py: an unchanged `build.py` leaves the site alone):
  the engine, the settings, every source file's content and the git dates
  (`tree_key`); valid while `now` is in the site's stretch of unchanging time
  and the output folder holds exactly what was written (`Site`);
- parsing a file (load): the file's path and text;
- converting a page's Markdown (prose): its path, body, first body line and
  the link targets (every page address, planned URL, static file); one entry
  serves every language showing the body (addresses are filled in per output);
- rendering an output (render): the *shared* digest below, the output's own
  fields, the Markdown bodies it declares (its page, and the pages named in
  `Output.inputs`; "*" means all), its page's title and summary, the other
  pages' titles and summaries its templates were seen reading
  (traced), the git dates ("last updated") it was seen reading (traced
  through history.History), and the moment (`set_moment`): the stretch of
  time in which nothing time-dependent changes (phases.Clock: [since,
  next_change)) and whether drafts are shown;
- link-checking a rendered file: the key of its rendering, its address and
  the set of files in the site.

The shared digest covers everything that is not a page body: the engine's
source and library versions, every file the build loaded (guide.yaml, data
files, catalogues) except the Markdown pages' bodies and the pages' titles
and summaries (PRESENTED), but with the rest of every page's front matter as
the model reads it (values and where they start: order, slug, phases,
sources, `updated`, change notes... decide the plan, the page lists and the
updates page), and every other file under templates/, static/, content/ and
i18n/. An edit to any of these re-renders every output; an edit to one
page's body, title or summary re-renders that page and the outputs seen
reading it (the home page and /cari/ list every page; the footer, the first
twelve).

To declare a new output: put the Markdown pages whose body it reads in
`inputs` ("*" for all of them). Everything else it could read is in the
shared digest already (the model holds no Markdown: templates see a body
only converted, by their output's page); and outputs made outside
`Renderer.render_all` (feeds, indexes) are not cached at all. Titles and
summaries are traced where templates read them (`page.title`,
`page['title']`, `map(attribute='title')`...): Python code called while
rendering must not read another page's title or summary itself, but be
passed it by the template.

The store can be saved to a folder (`python build.py` uses ROOT/.cache/panduan)
and loaded by the next run, as data only (store.py: versioned, every entry
checksummed and its shape checked when read): a missing, damaged, hostile or
outdated file, or one tracked by git, costs a rebuild, never a wrong page.
Parsed files stay in memory (they are objects, and parsing is quick); every
other stage's results are saved (`CODECS`). Entries used by neither of the
last two builds are dropped.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import os
import sys
import time
from pathlib import Path

from markupsafe import Markup

from . import store
from .history import git_dates
from .load import PAGES_DIR, YamlList, YamlMap
from .problems import Problem, Report
from .sourcefiles import SourceRefused, read_source, source_paths
from .store import Codec, Store
from .views import PRESENTED

RACY_SECONDS = 2.0
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "markdown", "python-frontmatter", "babel", "nh3", "icalendar",
             "pagefind", "pagefind_bin")


def digest(*parts) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def engine_digest() -> str:
    """The engine's own source files, Python and library versions: a change to any invalidates everything."""
    package = Path(__file__).resolve().parent
    parts = [sys.version]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return digest(*parts)


def _located(value, leave_out=()) -> object:
    """A parsed YAML value, with where each of its parts starts (the model reads those too)."""
    if isinstance(value, YamlMap):
        return ("map", value.line, value.column, tuple(
            (repr(key), value.key_at.get(key), value.value_at.get(key), _located(item))
            for key, item in value.items() if key not in leave_out),
            tuple(r for r in value.repeated if r[0] not in leave_out))
    if isinstance(value, YamlList):
        return ("list", value.line, value.column, tuple(value.item_at), tuple(_located(item) for item in value))
    return value


class Memo:
    """One build's memo over the persistent `Store`: `stage(name, key, fn, ...)` returns a stage's
    result (its value and the problems it reported), remembered or computed. The build asks it
    for every stage it memoises; `NullMemo` computes every one (`check`, `--no-cache`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.header["engine"]
        self.file_digests = store.memory.setdefault("file_digests", {})
        self.shared = ""
        self.moment = ""
        self._link_context: tuple = (None, "")
        self.dates_read: dict[str, tuple[str, ...]] | None = {}   # output URL -> git dates its rendering read

    @property
    def bytecode(self):
        """Compiled templates kept in memory between builds (watch mode): made on first use, so
        an unchanged build, which renders nothing, never imports Jinja."""
        from .render import TemplateBytecode
        return self.store.memory.setdefault("bytecode", TemplateBytecode())

    def recall(self, name: str, key: str):
        """The remembered result of stage `name` under `key`, or None (counted, for tests and bench)."""
        found = self.store.get(name, key)
        with self.store.lock:
            (self.store.misses if found is None else self.store.hits)[name] += 1
        return found

    def stage(self, name: str, key: str, fn, *args, valid=None, fresh=None) -> tuple[object, tuple[Problem, ...]]:
        """(value, problems) of `fn(*args, report)`: remembered under (name, key) if `valid(value)`
        (default: always), else computed and remembered. `fresh(result)` copies a result that
        later stages change in place (parsed files), going in and coming out."""
        found = self.recall(name, key)
        if found is not None and (valid is None or valid(found[0])):
            return fresh(found) if fresh else found
        report = Report()
        found = (fn(*args, report), tuple(report.problems))
        if found[0] is not None:   # None: stopped (a cancelled search index), nothing to remember
            self.store.put(name, key, fresh(found) if fresh else found)
        return found

    def finish(self) -> None:
        """The build is over (see Store.finish)."""
        self.store.finish()

    # -- load ----------------------------------------------------------------

    def parse(self, relative: str, text: str, parse, report: Report):
        """Memo for `load.load_tree`: a fresh copy of the parsed Source (later stages convert it in place)."""
        key = digest("parse", self.engine, relative, parse.__name__, text)
        source, problems = self.stage("parse", key, parse, relative, text, fresh=copy.deepcopy)
        report.extend(problems)
        return source

    # -- what every output reads -------------------------------------------

    def begin(self, root: Path, tree) -> None:
        """Digest everything but page bodies, once per build (see the module's notes)."""
        parts = [self.engine]
        self.presented: dict[tuple[str, str], str] = {}
        for relative, source in sorted(tree.files.items()):   # every file the build loaded
            if source.body:
                parts += [relative, "front", self._front(relative, source), source.body_line]
            else:
                parts += [relative, "text", source.text]
        for path in source_paths(root):   # and every other file it might read
            relative = path.relative_to(root).as_posix()
            if relative not in tree.files:
                parts += [relative, self._file_digest(path) if path.is_file() else "not a file"]
        self.shared = digest(*parts)
        self.bodies = {path: source.body for path, source in tree.files.items() if path.endswith(".md")}
        self.body_digests: dict[str, str] = {}
        self.read_digests: dict[tuple, str] = {}
        self.made_by: dict[int, tuple[bytes, str]] = {}   # rendered bytes -> the key that made them
        self.dates_read = {}

    def _front(self, relative: str, source) -> str:
        """A Markdown file's front matter as every rendering sees it. For a page, that is all
        but the words it presents (PRESENTED): those are kept in `presented`, by (path, field),
        and key only the renderings seen reading them (`render`)."""
        data = source.data
        if not relative.startswith(PAGES_DIR + "/") or not isinstance(data, YamlMap):
            return source.front
        for name in PRESENTED:
            self.presented[relative, name] = repr(_located(data.get(name)))
        return repr(_located(data, leave_out=PRESENTED))

    def set_moment(self, clock, history, drafts: bool) -> None:
        """What every rendering reads besides files: the stretch of time in which the
        output cannot change (phases.Clock: [since, next_change)), whether drafts are
        shown, and the git dates ("last updated") read before rendering began. Keying by
        the stretch rather than by `now` lets watch mode reuse renderings while the clock
        ticks; the dates a rendering reads itself are traced and key it alone (`render`)."""
        self.history = history
        self.moment = digest(
            clock.since.isoformat() if clock.since else "-",
            clock.next_change.isoformat() if clock.next_change else "-",
            *history.dates(history.read), "drafts" if drafts else "published")

    def search(self, files: dict[str, bytes], index) -> dict[str, bytes] | None:
        """Memo for `search.search_files`: the index is a function of the rendered HTML (None: cancelled)."""
        key = digest("search", self.engine, *(part for name in sorted(files) if name.endswith(".html")
                                               for part in (name, hashlib.sha256(files[name]).hexdigest())))
        return self.stage("search", key, lambda report: index(files))[0]

    def _file_digest(self, path: Path) -> str:
        """A file's content digest, recomputed only when its size or modification time changes."""
        try:
            info = path.stat()
        except OSError:
            return "missing"
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        known = self.file_digests.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
        # a file changed within the file system's clock tick of being read could look unchanged
        # later ("racily clean", as git calls it): trust the stamp only once the file is older
        trusted = time.time() - info.st_mtime_ns / 1e9 > RACY_SECONDS
        try:
            found = digest(path.read_bytes())
        except OSError:
            return "unreadable"
        if trusted:
            self.file_digests[str(path)] = (stamp, found)
        return found


    # -- prose ---------------------------------------------------------------

    def targets_digest(self, targets, plan) -> str:
        """What a link in Markdown can resolve to: the link targets and each output's language versions."""
        versions = sorted(f"{o.url} {o.key} {o.lang}" for o in plan.outputs)
        return digest(*sorted(targets.page_urls.items()), "|", *sorted(targets.site_urls), "|",
                       *sorted(targets.static_files), "|", *versions)

    def unconverted(self, pages, targets: str) -> list:
        """The pages whose bodies `convert` would have to convert."""
        return [page for page in pages if self.store.get("prose", self._prose_key(page, targets)) is None]

    def _prose_key(self, page, targets: str) -> str:
        return digest("prose", self.engine, targets, page.path, page.body_line, self.bodies[page.path])

    def convert(self, prose, output, targets: str, localize) -> Markup:
        """Memo for `Prose.convert`, replaying the problems it reported: one entry per body, shared
        by the languages that show it; `localize` is the plan's (a function of the planned URLs,
        in `targets`, and the output's language), applied per output (`Converted.at`)."""
        page = output.page
        key = self._prose_key(page, targets)
        converted, problems = self.stage("prose", key, _converted, prose, page)
        prose.report.extend(problems)
        return converted.at(output.url, localize)

    # -- render --------------------------------------------------------------

    def render_key(self, output) -> str:
        """Everything an output's rendering reads, except Markdown bodies it did not declare."""
        fields = [f"{field.name}={getattr(output, field.name)!r}" for field in dataclasses.fields(output)
                  if field.name != "page"]
        page = output.page
        declared = self._declared_bodies(output)
        own = [self.presented.get((page.path, name), "-") for name in PRESENTED] if page else []
        return digest("render", self.shared, *fields, page.path if page else "-", *own, self.moment,
                       *(part for path in declared for part in (path, self._body_digest(path))))

    def _declared_bodies(self, output) -> list[str]:
        if "*" in output.inputs:
            return sorted(self.bodies)
        own = (output.page.path,) if output.page else ()
        return sorted({*own, *output.inputs} & self.bodies.keys())

    def _body_digest(self, path: str) -> str:
        known = self.body_digests.get(path)
        if known is None:
            known = self.body_digests[path] = digest(self.bodies.get(path, "\0missing"))
        return known

    def render(self, output, render) -> bytes:
        """Memo for `Renderer.render` (template errors are raised, never remembered).

        Two stages: "trace" (under the output's key) holds the git dates and the
        other pages' titles and summaries the rendering was seen reading, and
        "render" the bytes, under the key with what those hold now. A trace is
        valid while its rendering is still remembered; else the output is
        rendered again, traced.
        """
        key = self.render_key(output)
        made: list[tuple[bytes, str]] = []

        def remembered(trace) -> bool:
            full = self._full_key(key, *trace)
            found = self.recall("render", full)
            if found is not None:
                made.append((found[0], full))
            return found is not None

        (dated, _), _ = self.stage("trace", key, self._traced, output, render, made, valid=remembered)
        html, full = made[0]
        self.made_by[id(html)] = (html, full)
        self.dates_read[output.url] = dated
        return html

    def _traced(self, output, render, made: list, report: Report) -> tuple:
        """Render `output`, noting what it read; remember the rendering under its full key."""
        shared_dates, self.history.read = self.history.read, set()
        try:
            with render.__self__.shown.recording() as seen:   # the pages' views note it (views.py)
                html = render(output)
            dated = tuple(sorted(self.history.read))
            shown = tuple(sorted(seen - {(output.page.path, name) for name in PRESENTED if output.page}))
        finally:
            self.history.read = shared_dates
        full = self._full_key(self.render_key(output), dated, shown)
        self.store.put("render", full, (html, ()))
        made.append((html, full))
        return dated, shown

    def _full_key(self, key: str, dated: tuple[str, ...], shown: tuple[tuple[str, str], ...]) -> str:
        """A rendering's key with what it was seen reading: git dates, and the titles and
        summaries (PRESENTED) of other pages."""
        return digest(key, "|", self._read_digest("dates", dated, lambda: self.history.dates(dated)),
                      "|", self._read_digest("shown", shown, lambda: tuple(
                          (path, name, self.presented.get((path, name), "-")) for path, name in shown)))

    def _read_digest(self, kind: str, read: tuple, values) -> str:
        """The digest of `values()`, what the paths in `read` hold in this build: once per build
        for each different `read` (thousands of renderings read the same footer), and of its
        repr, one string (the home page reads thousands of titles)."""
        found = self.read_digests.get((kind, read))
        if found is None:
            found = self.read_digests[kind, read] = digest(repr(values()))
        return found

    # -- link check ----------------------------------------------------------

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        """Memo for checking one rendered file's links; `context` is (existing files, rooted prefix)."""
        if self._link_context[0] is not context:
            self._link_context = (context, digest(*sorted(context[0]), "|", context[1]))
        made_by = self.made_by.get(id(html))
        rendering = made_by[1] if made_by and made_by[0] is html else digest(html)
        key = digest("links", self.engine, output.url, output.file, output.template,
                      output.page.path if output.page else "-", self._link_context[1], rendering)
        _, problems = self.stage("links", key, lambda local: check(output, html, local) or True)
        report.extend(problems)


class NullMemo(Memo):
    """A memo that remembers nothing: every stage is computed (`check`, `--no-cache`)."""

    bytecode = None   # templates compiled afresh

    def __init__(self) -> None:
        self.dates_read = None   # nothing traced: unknown

    def stage(self, name: str, key: str, fn, *args, valid=None, fresh=None) -> tuple[object, tuple[Problem, ...]]:
        report = Report()
        return fn(*args, report), tuple(report.problems)

    def finish(self) -> None:
        pass

    def parse(self, relative: str, text: str, parse, report: Report):
        return parse(relative, text, report)

    def begin(self, root: Path, tree) -> None:
        pass

    def set_moment(self, clock, history, drafts: bool) -> None:
        pass

    def targets_digest(self, targets, plan) -> str:
        return ""

    def unconverted(self, pages, targets: str) -> list:
        return list(pages)

    def convert(self, prose, output, targets: str, localize) -> Markup:
        return prose.convert(output.page, output.url, localize)

    def render(self, output, render) -> bytes:
        return render(output)

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        check(output, html, report)

    def search(self, files: dict[str, bytes], index) -> dict[str, bytes] | None:
        return index(files)


# -- the whole site: the outermost stage (cli.py) ----------------------------------------

def tree_key(root: Path, engine: str, zone: str, strict: bool, drafts: bool, out: Path) -> str:
    """The key of a build of `root` into `out`: the engine, the settings, the content of
    guide.yaml and of every file under content/, templates/, static/ and i18n/, and the git
    dates shown as "last updated"; computed before the build reads anything."""
    parts = [engine, f"strict={strict}", f"drafts={drafts}", str(out)]
    for path in [root / "guide.yaml", *source_paths(root)]:
        relative = path.relative_to(root).as_posix()
        try:
            content = digest(read_source(root, relative)) if not path.is_dir() else "a folder"
        except SourceRefused as refused:
            content = refused.message
        parts += [relative, content]
    for path, day in sorted(git_dates(root, zone).items()):
        parts += [path, day.isoformat()]
    return digest(*parts)


def output_files(out: Path) -> dict[str, str]:
    """Every file in the output folder: its content digest."""
    found = {}
    for directory, _, names in os.walk(out):
        for name in names:
            path = Path(directory, name)
            found[path.relative_to(out).as_posix()] = digest(path.read_bytes())
    return found


@dataclasses.dataclass(frozen=True)
class Site:
    """What a build wrote (the outermost stage's value; its problems are the build's warnings): the
    stretch of time in which it does not change (phases.Clock: [since, next_change)), the content
    digest of every file written, and the lines the build printed about itself. It holds while
    `now` is in the stretch and the output folder holds exactly those files, each untouched
    (compared by content: a site restored from a CI cache with its store still holds)."""
    since: str | None
    next_change: str | None
    outputs: dict[str, str]
    report: tuple[str, ...]

    @classmethod
    def after(cls, clock, out: Path, report: tuple[str, ...]) -> "Site":
        return cls(clock.since.isoformat() if clock.since else None,
                   clock.next_change.isoformat() if clock.next_change else None, output_files(out), report)

    def holds(self, out: Path, now: dt.datetime) -> bool:
        """Would a build now write exactly what `out` holds?"""
        if self.since is not None and now < dt.datetime.fromisoformat(self.since):
            return False
        if self.next_change is not None and now >= dt.datetime.fromisoformat(self.next_change):
            return False
        try:
            return output_files(out) == self.outputs
        except OSError:
            return False

    def encode(self) -> dict:
        return {"since": self.since, "next_change": self.next_change, "outputs": self.outputs,
                "report": list(self.report)}

    @classmethod
    def decode(cls, value) -> "Site":
        outputs = value["outputs"]
        if type(outputs) is not dict:
            raise TypeError("not a dict")
        report = store.texts(value["report"])
        if not report:
            raise ValueError("no report")
        return cls(_moment(value["since"]), _moment(value["next_change"]),
                   {store.text(name): store.text(known) for name, known in outputs.items()}, report)


def _moment(value) -> str | None:
    """An ISO moment with its time zone (comparable with `now`), or None."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(store.text(value))
    if moment.utcoffset() is None:
        raise ValueError("a moment without a time zone")
    return moment.isoformat()


def _converted(prose, page, report: Report):
    converted, problems = prose.converted(page)   # (prose.Converted, problems)
    report.extend(problems)
    return converted


# -- on disk ---------------------------------------------------------------------------

def forget_files(store: Store, paths) -> None:
    """Paths the watcher saw change: re-read them even if size and time look the same."""
    for path in paths:
        store.memory.get("file_digests", {}).pop(str(path), None)


def new_store(folder: Path | None = None) -> Store:
    """A store for this engine, empty, or reading what a build saved in `folder` (store.py: a missing,
    damaged, hostile or outdated file, or one tracked by git, costs a rebuild, never a wrong page)."""
    return Store(CODECS, {"engine": engine_digest()}, folder)


def _decode_trace(value) -> tuple:
    dated, shown = value
    pairs = tuple(store.texts(pair) for pair in shown)
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError("not a (page, field) pair")
    return (store.texts(dated), pairs), ()


def _decode_converted(value) -> tuple:
    from .prose import Converted   # here: Markdown is imported only by builds that convert
    html, token, links, problems = value
    pairs = tuple((store.text(path), store.flag(localized)) for path, localized in links)
    return Converted(store.text(html), store.text(token), pairs), store.decode_problems(problems)


def _decode_files(value) -> tuple:
    if type(value) is not dict:
        raise TypeError("not a dict")
    return {store.text(name): store.decode_bytes(data) for name, data in value.items()}, ()


def _decode_site(value) -> tuple:
    site, warnings = store.pair(value)
    return Site.decode(site), store.decode_problems(warnings)


# every stage but "parse" (objects, kept in memory only): its result, to JSON-able data and back
CODECS = {
    "prose": Codec(lambda found: [found[0].html, found[0].token, [list(link) for link in found[0].links],
                                  store.encode_problems(found[1])], _decode_converted),
    "render": Codec(lambda found: store.encode_bytes(found[0]), lambda value: (store.decode_bytes(value), ())),
    "trace": Codec(lambda found: [list(found[0][0]), [list(pair) for pair in found[0][1]]], _decode_trace),
    "links": Codec(lambda found: store.encode_problems(found[1]), lambda value: (True, store.decode_problems(value))),
    "search": Codec(lambda found: {name: store.encode_bytes(data) for name, data in sorted(found[0].items())},
                    _decode_files),
    "site": Codec(lambda found: [found[0].encode(), store.encode_problems(found[1])], _decode_site),
}
