"""Cache: remember the build's work, keyed by exactly what it read.

An incremental rebuild is the ordinary build (`builder.make_site`) with a
`BuildCache` passed in; there is no second code path. Each stage that is
worth remembering asks the cache first, under a key that is a digest of
everything its result depends on, and replays the problems it reported:

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

The cache can be saved to a folder (`python build.py` uses ROOT/.cache/panduan)
and loaded by the next run, as data only (store.py: versioned, every entry
checksummed and its shape checked when read): a missing, damaged, hostile or
outdated file, or one tracked by git, costs a rebuild, never a wrong page.
Parsed files stay in memory (they are objects, and parsing is quick); every
other kind of entry is saved. Entries used by neither of the last two builds
are dropped.
"""
from __future__ import annotations

import copy
from collections import Counter
import dataclasses
import hashlib
import importlib.metadata
import sys
import threading
import time
from pathlib import Path

import jinja2
import jinja2.bccache
from markupsafe import Markup

from . import store
from .load import PAGES_DIR, YamlList, YamlMap, source_paths
from .model import Page
from .problems import Report

CACHE_FILE = "cache.txt"
RACY_SECONDS = 2.0
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "markdown", "python-frontmatter", "babel", "nh3", "icalendar",
             "pagefind", "pagefind_bin")


PRESENTED = ("title", "summary")   # a page's words that other pages show (lists, the footer): not shared


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


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory between builds; Jinja checks each against its source."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


_TALLY = threading.Lock()   # the search index is looked up and kept from a thread (builder.py)


class BuildCache:
    """Remembered results of earlier builds of one guide."""

    def __init__(self) -> None:
        self.engine = engine_digest()
        self.bytecode = TemplateBytecode()
        self.entries: dict[tuple[str, str], object] = {}   # (kind, key) -> value
        self.used: set[tuple[str, str]] = set()
        self.previous: set[tuple[str, str]] = set()
        self.file_digests: dict[str, tuple[tuple[int, int, int], str]] = {}
        self.shared = ""
        self.moment = ""
        self._link_context: tuple = (None, "")
        self.showing: set[tuple[str, str]] | None = None   # while rendering: (page, PRESENTED field) read
        self.dates_read: dict[str, tuple[str, ...]] = {}   # this build's output URL -> git dates it read
        self.hits: Counter[str] = Counter()     # kind -> entries found
        self.misses: Counter[str] = Counter()   # kind -> entries computed

    # -- keeping entries ----------------------------------------------------

    def _get(self, kind: str, key: str):
        with _TALLY:
            found = self.entries.get((kind, key))
            if found is None:
                self.misses[kind] += 1
            else:
                self.hits[kind] += 1
                self.used.add((kind, key))
        return found

    def _put(self, kind: str, key: str, value) -> None:
        with _TALLY:
            self.entries[kind, key] = value
            self.used.add((kind, key))

    def finish(self) -> None:
        """End of one build: forget what neither this build nor the one before used."""
        keep = self.used | self.previous
        self.entries = {key: value for key, value in self.entries.items() if key in keep}
        self.previous, self.used = self.used, set()

    # -- load ----------------------------------------------------------------

    def parse(self, relative: str, text: str, parse, report: Report):
        """Memo for `load.load_tree`: a fresh copy of the parsed Source (later stages convert it in place)."""
        key = digest("parse", self.engine, relative, parse.__name__, text)
        found = self._get("parse", key)
        if found is None:
            local = Report()
            found = (parse(relative, text, local), tuple(local.problems))
            self._put("parse", key, copy.deepcopy(found))
        else:
            found = copy.deepcopy(found)
        report.extend(found[1])
        return found[0]

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
        found = self._get("search", key)
        if found is None:
            found = index(files)
            if found is not None:
                self._put("search", key, found)
        return found

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

    def forget_files(self, paths) -> None:
        """Paths the watcher saw change: re-read them even if size and time look the same."""
        for path in paths:
            self.file_digests.pop(str(path), None)

    # -- prose ---------------------------------------------------------------

    def targets_digest(self, targets, plan) -> str:
        """What a link in Markdown can resolve to: the link targets and each output's language versions."""
        versions = sorted(f"{o.url} {o.key} {o.lang}" for o in plan.outputs)
        return digest(*sorted(targets.page_urls.items()), "|", *sorted(targets.site_urls), "|",
                       *sorted(targets.static_files), "|", *versions)

    def unconverted(self, pages, targets: str) -> list:
        """The pages whose bodies `convert` would have to convert."""
        return [page for page in pages if ("prose", self._prose_key(page, targets)) not in self.entries]

    def _prose_key(self, page, targets: str) -> str:
        return digest("prose", self.engine, targets, page.path, page.body_line, self.bodies[page.path])

    def convert(self, prose, output, targets: str, localize) -> Markup:
        """Memo for `Prose.convert`, replaying the problems it reported: one entry per body, shared
        by the languages that show it; `localize` is the plan's (a function of the planned URLs,
        in `targets`, and the output's language), applied per output (`Converted.at`)."""
        page = output.page
        key = self._prose_key(page, targets)
        found = self._get("prose", key)
        if found is None:
            found = prose.converted(page)   # (prose.Converted, problems)
            self._put("prose", key, found)
        prose.report.extend(found[1])
        return found[0].at(output.url, localize)

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

        The git dates and the other pages' titles and summaries a rendering
        reads are traced and remembered with the result: the next build looks
        up the trace first and keys the result by what those hold now.
        """
        key = self.render_key(output)
        trace = self._get("trace", key)
        if trace is not None:
            dated, shown = trace
            full = self._full_key(key, dated, shown)
            found = self._get("render", full)
            if found is not None:
                self.made_by[id(found)] = (found, full)
                self.dates_read[output.url] = dated
                return found
        self._trace(render.__self__.env)
        self.showing = set()
        shared_dates, self.history.read = self.history.read, set()
        try:
            found = render(output)
            dated = tuple(sorted(self.history.read))
            shown = tuple(sorted(self.showing - {(output.page.path, name) for name in PRESENTED if output.page}))
        finally:
            self.showing, self.history.read = None, shared_dates
        full = self._full_key(key, dated, shown)
        self._put("trace", key, (dated, shown))
        self._put("render", full, found)
        self.made_by[id(found)] = (found, full)
        self.dates_read[output.url] = dated
        return found

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

    def _trace(self, env) -> None:
        """Make templates' reads of a page's title or summary note the page (once per
        environment): `page.title` is an attribute read, `page['title']` and filters such as
        `sort(attribute='title')` are item reads."""
        if getattr(env, "panduan_traced", False):
            return
        plain_getattr, plain_getitem = env.getattr, env.getitem

        def note(obj, attribute) -> None:
            if self.showing is not None and isinstance(obj, Page) and attribute in PRESENTED:
                self.showing.add((obj.path, attribute))

        def getattr_(obj, attribute):
            note(obj, attribute)
            return plain_getattr(obj, attribute)

        def getitem(obj, argument):
            note(obj, argument)
            return plain_getitem(obj, argument)

        env.getattr, env.getitem, env.panduan_traced = getattr_, getitem, True

    # -- link check ----------------------------------------------------------

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        """Memo for checking one rendered file's links; `context` is (existing files, rooted prefix)."""
        if self._link_context[0] is not context:
            self._link_context = (context, digest(*sorted(context[0]), "|", context[1]))
        made_by = self.made_by.get(id(html))
        rendering = made_by[1] if made_by and made_by[0] is html else digest(html)
        key = digest("links", self.engine, output.url, output.file, output.template,
                      output.page.path if output.page else "-", self._link_context[1], rendering)
        found = self._get("links", key)
        if found is None:
            local = Report()
            check(output, html, local)
            found = tuple(local.problems)
            self._put("links", key, found)
        report.extend(found)

    # -- on disk ---------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> "BuildCache":
        """The cache saved in `folder`: its intact entries for this engine (store.py), or none."""
        cache = cls()
        cache.entries = store.read(folder / CACHE_FILE, {"engine": cache.engine}, DECODERS)
        return cache   # entries are kept after this run only if used by it

    def save(self, folder: Path) -> None:
        """Write the cache atomically as data (store.py), unless git tracks it; a failure only costs speed."""
        path = folder / CACHE_FILE
        if store.tracked_by_git(path):
            return
        store.write(path, {"engine": self.engine}, ((kind, key, ENCODERS[kind](value))
                                                     for (kind, key), value in sorted(self.entries.items())
                                                     if kind in ENCODERS))


def _decode_trace(value) -> tuple:
    dated, shown = value
    pairs = tuple(store.texts(pair) for pair in shown)
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError("not a (page, field) pair")
    return store.texts(dated), pairs


def _decode_converted(value) -> tuple:
    from .prose import Converted   # here: Markdown is imported only by builds that convert
    html, token, links, problems = value
    pairs = tuple((store.text(path), store.flag(localized)) for path, localized in links)
    return Converted(store.text(html), store.text(token), pairs), store.decode_problems(problems)


def _decode_files(value) -> dict[str, bytes]:
    if type(value) is not dict:
        raise TypeError("not a dict")
    return {store.text(name): store.decode_bytes(data) for name, data in value.items()}


# every kind of entry but "parse" (objects, kept in memory only), to JSON-able data and back
ENCODERS = {
    "prose": lambda found: [found[0].html, found[0].token, [list(link) for link in found[0].links],
                            store.encode_problems(found[1])],
    "render": store.encode_bytes,
    "trace": lambda found: [list(found[0]), [list(pair) for pair in found[1]]],
    "links": store.encode_problems,
    "search": lambda files: {name: store.encode_bytes(data) for name, data in sorted(files.items())},
}
DECODERS = {
    "prose": _decode_converted,
    "render": store.decode_bytes,
    "trace": _decode_trace,
    "links": store.decode_problems,
    "search": _decode_files,
}
