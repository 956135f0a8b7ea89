"""Cache: remember the build's work, keyed by exactly what it read.

An incremental rebuild is the ordinary build (`builder.make_site`) with a
`BuildCache` passed in; there is no second code path. Each stage that is
worth remembering asks the cache first, under a key that is a digest of
everything its result depends on, and replays the problems it reported:

- parsing a file (load): the file's path and text;
- converting a page's Markdown (prose): its path, body, first body line,
  address, and the link targets (every page address, planned URL, static file);
- rendering an output (render): the *shared* digest below, the output's own
  fields, the Markdown bodies it declares (`Output.inputs`; "*" or an output
  without a page means every body), and the moment: `now` for outputs that
  declare `uses_now` or have no page, the day (`timeline.today`) otherwise;
- link-checking a rendered file: its bytes, its address and the set of files.

The shared digest covers everything that is not a page body: the engine's
source and library versions, every file under templates/ and static/, every
file under content/ except the Markdown pages' bodies (so data files, and
every page's front matter, which the footer and home page list), and
guide.yaml. An edit to any of these re-renders every output; an edit to one
page's body re-renders that page and the outputs that read every body.

To declare a new output correctly: put the Markdown pages it reads in
`inputs` ("*" for all of them). Everything else it could read is in the
shared digest already, and outputs built outside `Renderer.render_all`
(feeds, indexes) are not cached at all, so they are always right.

The cache can be saved to a folder (`python build.py` uses ROOT/.cache/panduan)
and loaded again by the next run; a missing, corrupt or outdated file is
ignored. Entries not used by the last two builds are dropped.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

from markupsafe import Markup

from .problems import Report

CACHE_FILE = "cache.pickle"
RACY_SECONDS = 2.0
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "markdown", "python-frontmatter", "babel", "nh3")


def _digest(*parts) -> str:
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
    return _digest(*parts)


class BuildCache:
    """Remembered results of earlier builds of one guide."""

    def __init__(self) -> None:
        self.engine = engine_digest()
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()
        self.previous: set[str] = set()
        self.file_digests: dict[str, tuple[tuple[int, int, int], str]] = {}
        self.shared = ""
        self._link_context: tuple = (None, "")
        self.hits = self.misses = 0

    # -- keeping entries ----------------------------------------------------

    def _get(self, key: str):
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return found

    def _put(self, key: str, value) -> None:
        self.entries[key] = value
        self.used.add(key)

    def finish(self) -> None:
        """End of one build: forget what neither this build nor the one before used."""
        keep = self.used | self.previous
        self.entries = {key: value for key, value in self.entries.items() if key in keep}
        self.previous, self.used = self.used, set()

    # -- load ----------------------------------------------------------------

    def parse(self, relative: str, text: str, parse, report: Report):
        """Memo for `load.load_tree`: a fresh copy of the parsed Source (later stages convert it in place)."""
        key = _digest("parse", self.engine, relative, parse.__name__, text)
        found = self._get(key)
        if found is None:
            local = Report()
            source = parse(relative, text, local)
            found = (pickle.dumps(source, pickle.HIGHEST_PROTOCOL), tuple(local.problems))
            self._put(key, found)
        report.problems.extend(found[1])
        return pickle.loads(found[0])

    # -- what every output reads -------------------------------------------

    def begin(self, root: Path, tree) -> None:
        """Digest everything but page bodies, once per build (see the module's notes)."""
        parts = [self.engine]
        for folder in ("templates", "static", "content"):
            for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else ():
                relative = path.relative_to(root).as_posix()
                source = tree.files.get(relative)
                if source is not None and source.body:
                    parts += [relative, "front", source.text[: len(source.text) - len(source.body)],
                              source.body_line]
                elif source is not None:
                    parts += [relative, "text", source.text]
                elif path.is_file():
                    parts += [relative, self._file_digest(path)]
                else:
                    parts += [relative, "folder" if path.is_dir() else "other"]
        settings = tree.files.get("guide.yaml")
        parts += ["guide.yaml", settings.text if settings else self._file_digest(root / "guide.yaml")]
        self.shared = _digest(*parts)
        self.bodies = {path: source.body for path, source in tree.files.items() if path.endswith(".md")}
        self.all_bodies = _digest(*(part for path in sorted(self.bodies) for part in (path, self.bodies[path])))

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
            digest = _digest(path.read_bytes())
        except OSError:
            return "unreadable"
        if trusted:
            self.file_digests[str(path)] = (stamp, digest)
        return digest

    def forget_files(self, paths) -> None:
        """Paths the watcher saw change: re-read them even if size and time look the same."""
        for path in paths:
            self.file_digests.pop(str(path), None)

    # -- prose ---------------------------------------------------------------

    def targets_digest(self, targets) -> str:
        return _digest(*sorted(targets.page_urls.items()), "|", *sorted(targets.site_urls), "|",
                       *sorted(targets.static_files))

    def convert(self, prose, output, targets: str) -> Markup:
        """Memo for `Prose.convert`, replaying the problems it reported."""
        page = output.page
        key = _digest("prose", self.engine, targets, page.path, page.body_line, output.url, page.body)
        found = self._get(key)
        if found is None:
            outer, prose.report = prose.report, Report()
            try:
                html = prose.convert(page, output.url)
                found = (str(html), tuple(prose.report.problems))
            finally:
                prose.report = outer
            self._put(key, found)
        prose.report.problems.extend(found[1])
        return Markup(found[0])

    # -- render --------------------------------------------------------------

    def render_key(self, output, timeline) -> str:
        fields = [f"{field.name}={getattr(output, field.name)!r}" for field in dataclasses.fields(output)
                  if field.name != "page"]
        page = output.page
        if page is None or "*" in output.inputs:
            bodies = self.all_bodies
        else:
            read = sorted({page.path, *output.inputs} & self.bodies.keys())
            bodies = _digest(*(part for path in read for part in (path, self.bodies[path])))
        moment = timeline.now.isoformat() if page is None or output.uses_now else timeline.today.isoformat()
        return _digest("render", self.shared, *fields, page.path if page else "-", bodies, moment)

    def render(self, output, timeline, render) -> bytes:
        """Memo for `Renderer.render` (template errors are raised, never remembered)."""
        key = self.render_key(output, timeline)
        found = self._get(key)
        if found is None:
            found = render(output)
            self._put(key, found)
        return found

    # -- link check ----------------------------------------------------------

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        """Memo for checking one rendered file's links; `context` is (existing files, rooted prefix)."""
        if self._link_context[0] is not context:
            self._link_context = (context, _digest(*sorted(context[0]), "|", context[1]))
        key = _digest("links", self.engine, output.url, output.file, output.template,
                      output.page.path if output.page else "-", self._link_context[1], html)
        found = self._get(key)
        if found is None:
            local = Report()
            check(output, html, local)
            found = tuple(local.problems)
            self._put(key, found)
        report.problems.extend(found)

    # -- on disk ---------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> "BuildCache":
        """The cache saved in `folder`, or an empty one if it is missing, unreadable or outdated."""
        cache = cls()
        try:
            with open(folder / CACHE_FILE, "rb") as stream:
                engine, entries = pickle.load(stream)
        except Exception:   # any damage means: start afresh, never fail the build
            return cache
        if engine == cache.engine and isinstance(entries, dict):
            cache.entries = entries   # kept after this run only if used by it
        return cache

    def save(self, folder: Path) -> None:
        """Write the cache atomically; a failure to save only costs speed next time."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self.engine, self.entries), stream, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / CACHE_FILE)
        except OSError:
            pass

