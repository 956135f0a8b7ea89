"""Cache: remember the build's work, keyed by exactly what it read.

An incremental rebuild is the ordinary build (`builder.make_site`) with a
`Memo` passed in; there is no second code path, in `build.py` or in watch
mode. One `Memo` per build, over the persistent `Store` (store.py): every
stage that is worth remembering is `memo.stage(name, key, fn, ...)`, which
returns the stage's value and the problems it reported, remembered under a
key that is a digest of everything the result depends on, or computed.
`NullMemo` computes every stage (`check` and `--no-cache`). The stages and
their keys:

- the whole site (cli.py: an unchanged `build.py` leaves the site alone):
  the engine, the settings, every source file's content and the git dates
  (`tree_key`, read into the snapshot the build then reads: snapshot.py);
  valid while `now` is in the site's stretch of unchanging time and the output
  folder holds exactly what was written (`Site`);
- parsing a file (load): the file's path and text;
- checking, modelling and planning (`model`): what every file but the
  Markdown bodies holds (a page's front matter, where its body starts and
  whether it is blank; every YAML file; every other file under templates/,
  static/... : `begin`), the settings, valid while `now` stays in the
  model's stretch of unchanging time (phases.Clock: [since, next_change));
- converting a page's Markdown (prose): its path, its file's text, first
  body line and the link targets (every page address, planned URL, static
  file); one entry serves every language showing the body (addresses are
  filled in per output);
- rendering an output (render): the *shared* digest below, the output's own
  fields, its page's body, title and summary, the other pages' titles and
  summaries its templates were seen reading (traced through views.py), the
  git dates ("last updated") it was seen reading (traced through
  history.History), and the moment (`set_moment`): the stretch of time in
  which nothing time-dependent changes and whether drafts are shown;
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

A template sees one Markdown body, its output's page's, converted (`body`):
the model holds none. Everything else it could read is in the shared digest
or traced; outputs made outside `Renderer.render_all` (calendars, the
worker) are made again unless the model and what they read are the same
(`made_in_code`). Titles and summaries are traced where templates read them
(`page.title`, `page['title']`, `map(attribute='title')`...): Python code
called while rendering must not read another page's title or summary
itself, but be passed it by the template.

Within one process (watch mode), a build also keeps its results per output
for the next (`_Kept`), so that after a small edit nothing else is looked
at: the model stage is one lookup; each late stage (`todo`) redoes only the
outputs showing a page whose text changed, the renderings that read a git
date that moved, and the link checks of what was rendered again; and
`load`, told by the file-system monitor which paths changed (watch.py),
reads only those files. Digesting thousands of outputs' keys would take
longer than the edit's own work.

The store can be saved to a folder (`python build.py` uses ROOT/.cache/panduan)
and loaded by the next run, as data only (store.py: versioned, every entry
checksummed and its shape checked when read): a missing, damaged, hostile or
outdated file, or one tracked by git, costs a rebuild, never a wrong page.
Parsed files and the model stay in memory (they are objects: parsing is quick,
and the model is made again from them); every other stage's results are saved
(`CODECS`). Entries used by neither of the last two builds, nor behind results
kept for the next, are dropped.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import os
import stat
import sys
from pathlib import Path

from markupsafe import Markup

from . import store
from .load import PAGES_DIR, YamlList, YamlMap, load_markdown, load_yaml
from .problems import Problem, Report
from .snapshot import Snapshot
from .sourcefiles import SETTINGS
from .stamps import Stamps, content_digest
from .store import Codec, Store
from .views import PRESENTED

LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "markdown", "python-frontmatter", "babel", "nh3", "icalendar",
             "pagefind", "pagefind_bin")


def digest(*parts) -> str:
    """The digest of `parts` in order, each prefixed by its length (no two lists of parts join alike)."""
    encoded = [part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass") for part in parts]
    return hashlib.blake2b(b"".join(piece for data in encoded for piece in (len(data).to_bytes(8, "little"), data)),
                           digest_size=20).hexdigest()


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

    def __init__(self, store: Store, changed=None) -> None:
        """`changed`: the paths a file-system monitor saw change since the store's last build
        (watch.py), or None (unknown: every file is looked at)."""
        self.store = store
        self.changed = None if changed is None else {Path(path) for path in changed}
        self.engine = store.header["engine"]
        self.shared = ""
        self.moment = ""
        self.parse_keys: dict[str, str] = {}   # path -> the key its parsed Source is remembered under
        self.model_key: str | None = None      # what the model was made of (None: not remembered)
        self.only_loaded_changed = False
        # the last successful build's results per output, and what they were made of (`_Kept`)
        self.previous: _Kept = store.memory.get("kept") or _Kept()
        self.kept = _Kept()
        self.same_model = False   # as the last build's
        self.changed_pages: set[str] = set()          # files whose text changed since the last build
        self.changed_dates: set[str] = set()          # files whose git date moved since the last build
        self.rerendered: set[str] = set()             # outputs not reused by `todo("render", ...)`

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

    def stage(self, name: str, key: str, fn, *args, valid=None) -> tuple[object, tuple[Problem, ...]]:
        """(value, problems) of `fn(*args, report)`: remembered under (name, key) if `valid(value)`
        (default: always), else computed and remembered."""
        found = self.recall(name, key)
        if found is not None and (valid is None or valid(found[0])):
            return found
        report = Report()
        found = (fn(*args, report), tuple(report.problems))
        if found[0] is not None:   # None: stopped (a cancelled search index), nothing to remember
            self.store.put(name, key, found)
        return found

    def succeeded(self) -> None:
        """The build made its site: the next one may reuse its results per output (`_Kept`)."""
        if self.model_key is not None:
            self.store.memory["kept"] = self.kept

    def git_before(self) -> tuple:
        """(the last build's answers from git, the paths the file-system monitor saw change since),
        for history.AskedGit: in watch mode, a save spares it asking about every file."""
        return self.store.memory.get("git"), self.changed

    def finish(self, git_answers=None) -> None:
        """The build is over (see Store.finish): the store entries behind what the last successful
        build kept for the next are held, and what git answered is kept for the next build."""
        self.store.memory["git"] = git_answers
        kept = self.store.memory.get("kept") or _Kept()
        self.store.finish(lambda: (entry for results in kept.results.values()
                                   for entries in results.entries.values() for entry in entries))

    def todo(self, stage: str, outputs: list, report: Report, context: tuple = ()) -> tuple[list, dict]:
        """(the outputs whose `stage` ("prose", "render", "links") must be done, {URL: result} of the
        others), the last build's results reused where nothing they read changed, their problems
        added to `report`; `context` is the link check's (existing files, rooted prefix).

        A stage's results are reused while what all of them read is the same (`_made_with`: the
        link targets, the shared digest and the moment, the link context), and then each output's
        while what it read alone is: its output and page's text, the git dates and other pages'
        titles and summaries its rendering read, whether it was rendered again. Within one model
        (the commonest build in watch mode, after an edit of a page's text) the outputs are the
        same objects, so only those showing a changed text or a moved date are looked at."""
        last = self.kept.results[stage]
        made_with = self._made_with(stage, context)
        if last.made_with != made_with or not last.values:
            self.kept.results[stage] = _Results(made_with)
            stale = None
        elif self.same_model:
            stale = {url for path in self.changed_pages for url in self.kept.by_page.get(path, ())}
        else:
            changed = self._changed_presented() if stage == "render" else set()
            stale = {o.url for o in outputs if not self._same(stage, o, last.made.get(o.url), changed)}
            planned = {o.url for o in outputs}
            for url in [url for url in last.values if url not in planned]:   # no longer built
                last.drop(url)
        if stale is not None and stage == "render" and self.changed_dates:
            stale |= {url for url, dated in last.read.items() if not self.changed_dates.isdisjoint(dated)}
        elif stale is not None and stage == "links":
            stale |= self.rerendered
        if stale is not None and self.same_model and len(last.values) == len(outputs):   # the same outputs
            # as last time, each with a result: only the stale ones are looked at
            order = self.kept.order
            todo = sorted((order[url][1] for url in stale if url in last.values), key=lambda o: order[o.url][0])
            done = dict(last.values)
            for url in stale:
                done.pop(url, None)
        else:
            todo = [o for o in outputs if stale is None or o.url in stale or o.url not in last.values]
            done = {} if stale is None else {url: value for url, value in last.values.items() if url not in stale}
        if stage == "render":
            self.rerendered = {o.url for o in todo}
        for url, problems in last.problems.items() if stale is not None else ():
            if url not in stale:
                report.extend(problems)
        return todo, done

    def _made_with(self, stage: str, context: tuple) -> tuple:
        """What every output's result of `stage` reads (see `todo`)."""
        if stage == "prose":
            return (self.kept.targets,)
        if stage == "render":
            return self.shared, self.moment
        return (self._context_digest(context),)

    def _same(self, stage: str, output, made, changed_presented: set) -> bool:
        """Is what the output's result was made of, besides `_made_with`, the same now?"""
        if made is None:
            return False
        if stage == "prose":
            return made == (output.page.path, self.parse_keys.get(output.page.path))
        if stage == "render":
            return made[0] == output and made[1] == self._declared_bodies(output) \
                and changed_presented.isdisjoint(made[2])
        return made == output

    def _changed_presented(self) -> set[tuple[str, str]]:
        """The titles and summaries (PRESENTED), by (page path, field), that differ from the last build's."""
        before, now = self.previous.presented, self.presented
        return {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}

    # -- load ----------------------------------------------------------------

    def parse(self, relative: str, text: str, parse, report: Report):
        """Memo for `load.load_tree`: the parsed Source, the same object for the same text (nothing
        changes it: schema.validate converts a copy)."""
        key = self.parse_keys[relative] = digest("parse", self.engine, relative, parse.__name__, text)
        source, problems = self.stage("parse", key, parse, relative, text)
        report.extend(problems)
        return source

    def load(self, snapshot: Snapshot, report: Report, load):
        """`load(report)` (load.load_tree), or, when the file-system monitor saw only files of the
        last load change (each still an ordinary file, and that load found no problem), that
        load's tree with just those files read again."""
        root = snapshot.root
        last = self.store.memory.get("loaded")
        edited = self._edited(root, last)
        if edited is not None:
            files, parse_keys, read = dict(last[1].files), dict(last[2]), Report()
            for relative in sorted(edited):
                reader = load_markdown if relative.endswith(".md") else load_yaml
                files[relative] = reader(snapshot, relative, read, self.parse)
            if not read.problems and all(files.values()):
                self.parse_keys = {**parse_keys, **self.parse_keys}
                tree = dataclasses.replace(last[1], files=files)
                self.store.memory["loaded"] = (root, tree, dict(self.parse_keys))
                self.only_loaded_changed, self.edited = True, edited
                return tree
            self.parse_keys = {}
        self.only_loaded_changed = False
        tree = load(report)
        self.store.memory["loaded"] = (root, tree, dict(self.parse_keys)) if not report.problems else None
        return tree

    def _edited(self, root: Path, last) -> set[str] | None:
        """The files of the last load that the monitor saw change, if nothing else did, else None."""
        if self.changed is None or last is None or last[0] != root:
            return None
        edited = set()
        for path in self.changed:
            try:
                relative = path.resolve().relative_to(root.resolve()).as_posix()
            except (ValueError, OSError):
                return None
            if relative not in last[1].files or not relative.endswith((".md", ".yaml")):
                return None   # a file gone or refused is reported by reading it (`load`)
            edited.add(relative)
        return edited

    # -- check, model and plan -----------------------------------------------

    def model(self, fn, snapshot: Snapshot, tree, now: dt.datetime, strict: bool, drafts: bool):
        """(value, problems) of `fn(snapshot, tree, now, strict, drafts, report)` (builder._model), a
        function of what every file but the Markdown bodies holds (`begin`), the settings and the
        stretch of time `now` is in: remembered in memory while `now` stays in its clock's stretch."""
        key = digest("model", self.model_inputs, str(snapshot.root), strict, drafts)
        found = self.stage("model", key, lambda report: fn(snapshot, tree, now, strict, drafts, report),
                           valid=lambda modelled: modelled.clock.holds(now))
        clock = found[0].clock
        self.model_key = digest(key, clock.since or "-", clock.next_change or "-")
        last = self.previous
        self.same_model = last.model_key == self.model_key
        self.changed_pages = {path for path, key in self.parse_keys.items() if last.parse_keys.get(path) != key}
        results = {stage: results.carried() for stage, results in last.results.items()}
        if self.same_model:
            self.kept = _Kept(self.model_key, dict(self.parse_keys), self.presented, last.by_page, last.order,
                              last.targets, last.code, last.lasting, results)
        else:
            self.kept = _Kept(self.model_key, dict(self.parse_keys), self.presented, _by_page(found[0].plan),
                              {o.url: (number, o) for number, o in enumerate(found[0].plan.outputs)},
                              lasting=last.lasting, results=results)
        return found

    # -- what every output reads -------------------------------------------

    def begin(self, snapshot: Snapshot, tree) -> None:
        """Digest what the model reads (every file but the Markdown bodies: `model_inputs`) and
        what every rendering reads (that, but not the pages' PRESENTED words: `shared`), once per
        build, from what each file's text gave the last time it was seen (see the module's notes)."""
        last = self.store.memory.get("begun")
        if self.only_loaded_changed and last is not None:   # the same files: only the edited ones' parts change
            index, model_parts, shared_parts, presented = last[0], list(last[1]), list(last[2]), dict(last[3])
            for relative in self.edited:
                model_parts[index[relative]], shared_parts[index[relative]], found = \
                    self._derived(relative, tree.files[relative])
                presented.update(found)
        else:
            derived = self.store.memory.get("derived", {})
            self.store.memory["derived"] = kept = {}
            index, model_parts, shared_parts, presented = {}, [self.engine], [self.engine], {}
            for relative, source in sorted(tree.files.items()):   # every file the build loaded
                key = self.parse_keys.get(relative)
                if key is None:   # refused or unreadable: reported, and not parsed
                    unparsed = digest(relative, "unparsed", source.text)
                    parts = (unparsed, unparsed, ())
                else:
                    parts = kept[key] = derived.get(key) or self._derived(relative, source)
                index[relative] = len(model_parts)
                model_parts.append(parts[0])
                shared_parts.append(parts[1])
                presented.update(parts[2])
        self.store.memory["begun"] = (index, model_parts, shared_parts, presented)
        self.presented: dict[tuple[str, str], str] = presented
        others = self._others(snapshot, tree)   # each file's digests are of one length: joined, they read alike
        self.model_inputs = digest("".join(model_parts), *others)
        self.shared = digest("".join(shared_parts), *others)
        self.read_digests: dict[tuple, str] = {}

    def _others(self, snapshot: Snapshot, tree) -> list:
        """Every other file the build might read (under templates/, static/...), by its digest;
        the last build's list if the file-system monitor saw only loaded files change."""
        last = self.store.memory.get("others")
        if self.only_loaded_changed and last is not None and last[0] == snapshot.root:
            return last[1]
        others = []
        for relative, is_folder in snapshot.paths.items():
            if relative not in tree.files:
                others += (relative, "a folder" if is_folder else snapshot.digest(relative))
        self.store.memory["others"] = (snapshot.root, others)
        return others

    def _derived(self, relative: str, source) -> tuple:
        """The digests of what the model reads of a parsed file and of what every rendering reads
        of it, and the PRESENTED words of a page, by (path, field): for `begin`."""
        if not source.body:
            whole = digest(relative, "text", source.text)
            return whole, whole, ()
        model = digest(relative, "front", source.front, source.body_line, source.ok, source.blank)
        data = source.data
        if not relative.startswith(PAGES_DIR + "/") or not isinstance(data, YamlMap):
            return model, digest(relative, "front", source.front, source.body_line), ()
        presented = tuple(((relative, name), repr(_located(data.get(name)))) for name in PRESENTED)
        return model, digest(relative, "front", repr(_located(data, leave_out=PRESENTED)), source.body_line), \
            presented

    def set_moment(self, clock, history, drafts: bool, dated: set[str]) -> None:
        """What every rendering reads besides files: the stretch of time in which the
        output cannot change (phases.Clock: [since, next_change)), whether drafts are
        shown, and the git dates ("last updated") read before rendering began (`dated`). Keying by
        the stretch rather than by `now` lets watch mode reuse renderings while the clock
        ticks; the dates a rendering reads itself are traced and key it alone (`render`)."""
        self.history = history
        before = self.previous.dates
        self.changed_dates = {path for path in before.keys() | history.last_commit.keys()
                              if before.get(path) != history.last_commit.get(path)}
        self.kept.dates = dict(history.last_commit)
        self.moment = digest(
            clock.since.isoformat() if clock.since else "-",
            clock.next_change.isoformat() if clock.next_change else "-",
            *history.dates(dated), "drafts" if drafts else "published")

    def search(self, files: dict[str, bytes], index) -> dict[str, bytes] | None:
        """Memo for `search.search_files`: the index is a function of the rendered HTML (None: cancelled)."""
        known = self.lasting("search digests", dict)   # name -> (bytes, their digest)
        parts = []
        for name in sorted(files):
            if name.endswith(".html"):
                data, found = known.get(name, (None, None))
                if data is not files[name]:   # a page rendered again (watch mode: the others are the same bytes)
                    data, found = known[name] = (files[name], hashlib.sha256(files[name]).hexdigest())
                parts += (name, found)
        return self.stage("search", digest("search", self.engine, *parts), lambda report: index(files))[0]

    # -- prose ---------------------------------------------------------------

    def targets_digest(self, targets, plan) -> str:
        """What a link in Markdown can resolve to: the link targets and each output's language versions."""
        if self.kept.targets:
            return self.kept.targets   # a function of the model
        versions = sorted(f"{o.url} {o.key} {o.lang}" for o in plan.outputs)
        self.kept.targets = digest(*sorted(targets.page_urls.items()), "|", *sorted(targets.site_urls), "|",
                                   *sorted(targets.static_files), "|", *versions)
        return self.kept.targets

    def unconverted(self, outputs, targets: str) -> list:
        """The pages of `outputs` whose bodies `convert` would have to convert."""
        return [o.page for o in outputs if self.store.get("prose", self._prose_key(o.page, targets)) is None]

    def _prose_key(self, page, targets: str) -> str:
        return digest("prose", self.engine, targets, page.path, page.body_line, self.parse_keys[page.path])

    def convert(self, prose, output, targets: str, localize) -> Markup:
        """Memo for `Prose.convert`, replaying the problems it reported: one entry per body, shared
        by the languages that show it; `localize` is the plan's (a function of the planned URLs,
        in `targets`, and the output's language), applied per output (`Converted.at`)."""
        key = self._prose_key(output.page, targets)
        converted, problems = self.stage("prose", key, _converted, prose, output.page)
        prose.report.extend(problems)
        body = converted.at(output.url, localize)
        self.kept.results["prose"].put(output.url, body, problems, (("prose", key),),
                                       (output.page.path, self.parse_keys.get(output.page.path)))
        return body

    # -- render --------------------------------------------------------------

    def render_key(self, output) -> str:
        """Everything an output's rendering reads, except Markdown bodies it did not declare."""
        fields = [f"{field.name}={getattr(output, field.name)!r}" for field in dataclasses.fields(output)
                  if field.name != "page"]
        page = output.page
        own = [self.presented.get((page.path, name), "-") for name in PRESENTED] if page else []
        return digest("render", self.shared, *fields, page.path if page else "-", *own, self.moment,
                       *self._declared_bodies(output))

    def _declared_bodies(self, output) -> tuple[str, ...]:
        """The one Markdown body a rendering can read, its page's (the model holds none, and the
        templates see only `body`), by the key of its file's text."""
        return (output.page.path, self.parse_keys.get(output.page.path, "-")) if output.page else ()

    def render(self, output, render) -> bytes:
        """Memo for `Renderer.render` (template errors are raised, never remembered).

        Two stages: "trace" (under the output's key) holds the git dates and the
        other pages' titles and summaries the rendering was seen reading, and
        "render" the bytes, under the key with what those hold now. A trace is
        valid while its rendering is still remembered; else the output is
        rendered again, traced.
        """
        html, full, (dated, shown), entries = self._rendered(output, render)
        self.kept.results["render"].put(output.url, html, (), entries, (output, self._declared_bodies(output), shown),
                                        dated)
        return html

    def _rendered(self, output, render) -> tuple:
        """(html, its full key, (the git dates, other pages' words) it read, its store entries)."""
        key = self.render_key(output)
        made: list[tuple[bytes, str]] = []

        def remembered(trace) -> bool:
            full = self._full_key(key, *trace)
            found = self.recall("render", full)
            if found is not None:
                made.append((found[0], full))
            return found is not None

        trace, _ = self.stage("trace", key, self._traced, output, render, made, valid=remembered)
        html, full = made[0]
        return html, full, trace, (("trace", key), ("render", full))

    def _traced(self, output, render, made: list, report: Report) -> tuple:
        """Render `output`, noting what it read; remember the rendering under its full key."""
        with self.history.recording() as read, render.__self__.shown.recording() as seen:   # views.py
            html = render(output)
        dated = tuple(sorted(read))
        shown = tuple(sorted(seen - {(output.page.path, name) for name in PRESENTED if output.page}))
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

    def per_model(self, name: str, make):
        """`make()`, something the build makes of the model alone (the views templates read pages
        through, the offline worker's layout...): made once per model."""
        if name not in self.kept.code:
            self.kept.code[name] = make()
        return self.kept.code[name]

    def lasting(self, name: str, make):
        """`make()`, something kept for later builds whatever they change (it checks what it holds
        itself: the offline worker's file digests, by the bytes they were made of)."""
        kept = self.previous.lasting   # also the next build's (`model`), and a memo's that builds nothing
        if name not in kept:
            kept[name] = make()
        return kept[name]

    def made_in_code(self, make, inputs: tuple) -> dict[str, bytes]:
        """`make()`, the files made in code (living.Living.files): reused from the last build if
        the model and `inputs`, what else they read, are the same."""
        kept = self.kept.code.get("files")
        if kept is None or kept[0] != inputs:   # within the model
            kept = self.kept.code["files"] = (inputs, make())
        return kept[1]

    # -- link check ----------------------------------------------------------

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        """Memo for checking one rendered file's links; `context` is (existing files, rooted prefix)."""
        rendered = self.kept.results["render"]
        made = rendered.entries.get(output.url) if rendered.values.get(output.url) is html else None
        rendering = made[1][1] if made else digest(html)   # the key of the rendering that made it
        key = digest("links", self.engine, output.url, output.file, output.template,
                      output.page.path if output.page else "-", self._context_digest(context), rendering)
        _, problems = self.stage("links", key, lambda local: check(output, html, local) or True)
        report.extend(problems)
        self.kept.results["links"].put(output.url, True, problems, (("links", key),), output)

    def _context_digest(self, context: tuple) -> str:
        """The digest of a link check's context (existing files, rooted prefix): made once per context."""
        known = self.lasting("link context", dict)
        if known.get("context") != context:   # the same object, or an equal one, after the first time
            known.update(context=context, digest=digest(*sorted(context[0]), "|", context[1]))
        return known["digest"]


class NullMemo(Memo):
    """A memo that remembers nothing: every stage is computed (`check`, `--no-cache`)."""

    bytecode = None   # templates compiled afresh

    def __init__(self) -> None:
        pass

    def stage(self, name: str, key: str, fn, *args, valid=None) -> tuple[object, tuple[Problem, ...]]:
        report = Report()
        return fn(*args, report), tuple(report.problems)

    def succeeded(self) -> None:
        pass

    def git_before(self) -> tuple:
        return None, None

    def finish(self, git_answers=None) -> None:
        pass

    def load(self, snapshot: Snapshot, report: Report, load):
        return load(report)

    def model(self, fn, snapshot: Snapshot, tree, now: dt.datetime, strict: bool, drafts: bool):
        return self.stage("model", "", fn, snapshot, tree, now, strict, drafts)

    def todo(self, stage: str, outputs: list, report: Report, context: tuple = ()) -> tuple[list, dict]:
        return list(outputs), {}

    def made_in_code(self, make, inputs: tuple) -> dict[str, bytes]:
        return make()

    def per_model(self, name: str, make):
        return make()

    def lasting(self, name: str, make):
        return make()

    def parse(self, relative: str, text: str, parse, report: Report):
        return parse(relative, text, report)

    def begin(self, snapshot: Snapshot, tree) -> None:
        pass

    def set_moment(self, clock, history, drafts: bool, dated: set[str]) -> None:
        pass

    def targets_digest(self, targets, plan) -> str:
        return ""

    def unconverted(self, outputs, targets: str) -> list:
        return [o.page for o in outputs]

    def convert(self, prose, output, targets: str, localize) -> Markup:
        return prose.convert(output.page, output.url, localize)

    def render(self, output, render) -> bytes:
        return render(output)

    def links(self, output, html: bytes, context: tuple, check, report: Report) -> None:
        check(output, html, report)

    def search(self, files: dict[str, bytes], index) -> dict[str, bytes] | None:
        return index(files)


# -- the whole site: the outermost stage (cli.py) ----------------------------------------

def tree_key(snapshot: Snapshot, engine: str, zone: str, strict: bool, drafts: bool, out: Path) -> str:
    """The key of a build of the snapshot's guide into `out`: the engine, the settings, the content of
    guide.yaml and of every file under content/, templates/, static/ and i18n/, and the git
    dates shown as "last updated". It digests every file before the build starts, reading it into
    the snapshot, from which the build then reads it, unless its stamp is unchanged (snapshot.py):
    a site is remembered under the key of what it was built from."""
    parts = [engine, f"strict={strict}", f"drafts={drafts}", str(out), SETTINGS, snapshot.digest(SETTINGS)]
    for relative, is_folder in snapshot.paths.items():
        parts += [relative, "a folder" if is_folder else snapshot.digest(relative)]
    for path, day in sorted(snapshot.git.dates(zone).items()):
        parts += [path, day.isoformat()]
    return digest(*parts)


def output_files(out: Path, stamps: Stamps) -> dict[str, str]:
    """Every file in the output folder: its content digest, read, or remembered with its unchanged
    stamp (stamps.py: only an ordinary file has one; a link to a file is read through, a link to
    a folder is not followed); `stamps.now` is made afresh, of what the folder holds now. One
    os.scandir per folder: with thousands of pages, os.walk's own lstat of every folder was a
    fifth of an unchanged build."""
    found = {}
    stamps.now = {}
    folders = [(os.fspath(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, prefix + entry.name + "/"))
                elif not entry.is_dir():
                    name, info = prefix + entry.name, entry.stat(follow_symlinks=False)
                    ordinary = stat.S_ISREG(info.st_mode)
                    known = stamps.digest(name, info) if ordinary else None
                    if known is None:
                        with open(entry.path, "rb") as stream:
                            opened, known = os.fstat(stream.fileno()), content_digest(stream.read())
                        if ordinary:
                            stamps.stamp(name, info, opened, known)
                    found[name] = known
    return found


@dataclasses.dataclass(frozen=True)
class Site:
    """What a build wrote (the outermost stage's value; its problems are the build's warnings): the
    stretch of time in which it does not change (phases.Clock: [since, next_change)), the content
    digest of every file written, and the lines the build printed about itself. It holds while
    `now` is in the stretch and the output folder holds exactly those files, each untouched
    (compared by content, or by an unchanged stamp: a site restored from a CI cache with its
    store still holds)."""
    since: str | None
    next_change: str | None
    outputs: dict[str, str] | None   # None: the folder could not be read after the build (never holds)
    report: tuple[str, ...]

    @classmethod
    def after(cls, clock, out: Path, report: tuple[str, ...], stamps: Stamps) -> "Site":
        try:
            outputs = output_files(out, stamps)
        except OSError:   # the site is written; something else changes the folder now (a `serve`...)
            outputs = None
        return cls(clock.since.isoformat() if clock.since else None,
                   clock.next_change.isoformat() if clock.next_change else None, outputs, report)

    def holds(self, out: Path, now: dt.datetime, stamps: Stamps) -> bool:
        """Would a build now write exactly what `out` holds?"""
        if self.since is not None and now < dt.datetime.fromisoformat(self.since):
            return False
        if self.next_change is not None and now >= dt.datetime.fromisoformat(self.next_change):
            return False
        try:
            return self.outputs is not None and output_files(out, stamps) == self.outputs
        except OSError:
            return False

    def encode(self) -> dict:
        return {"since": self.since, "next_change": self.next_change, "outputs": self.outputs,
                "report": list(self.report)}

    @classmethod
    def decode(cls, value) -> "Site":
        outputs = value["outputs"]
        if type(outputs) is not dict:   # None too: a site whose folder could not be read is not kept
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


@dataclasses.dataclass
class _Results:
    """One stage's result for each output (by URL) in a build, kept for the next (Memo.todo): what
    all of them read (`made_with`), and per output the value, its problems, its store entries,
    what else it was made of (`made`) and, for renderings, the git dates it read."""
    made_with: tuple | None = None
    values: dict[str, object] = dataclasses.field(default_factory=dict)
    problems: dict[str, tuple[Problem, ...]] = dataclasses.field(default_factory=dict)   # if any
    entries: dict[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)
    made: dict[str, object] = dataclasses.field(default_factory=dict)
    read: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def put(self, url: str, value, problems: tuple, entries: tuple, made, read: tuple = ()) -> None:
        self.values[url], self.entries[url], self.made[url] = value, entries, made
        if problems:
            self.problems[url] = problems
        else:
            self.problems.pop(url, None)
        if read or url in self.read:
            self.read[url] = read

    def drop(self, url: str) -> None:
        for found in (self.values, self.problems, self.entries, self.made, self.read):
            found.pop(url, None)

    def carried(self) -> "_Results":
        return _Results(self.made_with, dict(self.values), dict(self.problems), dict(self.entries),
                        dict(self.made), dict(self.read))


@dataclasses.dataclass
class _Kept:
    """A successful build's results per output, for the next build in this process (Memo.todo),
    and what they were made of: the model, each file's text, the pages' titles and summaries,
    the git dates (against which the next build finds the dates that moved);
    made once per model: which outputs show each page (`by_page`), each output by URL with its
    place in the plan (`order`), the link targets' digest,
    the views and the files made in code (`code`); kept for as long as they hold (`lasting`):
    the offline worker's file digests, the link context's digest."""
    model_key: str | None = None
    parse_keys: dict[str, str] = dataclasses.field(default_factory=dict)
    presented: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    by_page: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    order: dict[str, tuple[int, object]] = dataclasses.field(default_factory=dict)   # URL -> (place, Output)
    targets: str = ""
    code: dict[str, object] = dataclasses.field(default_factory=dict)
    lasting: dict[str, object] = dataclasses.field(default_factory=dict)
    results: dict[str, _Results] = dataclasses.field(
        default_factory=lambda: {stage: _Results() for stage in ("prose", "render", "links")})
    dates: dict = dataclasses.field(default_factory=dict)


def _by_page(plan) -> dict[str, tuple[str, ...]]:
    """The outputs (URLs) that show each page's text."""
    found: dict[str, list[str]] = {}
    for output in plan.outputs:
        if output.page is not None:
            found.setdefault(output.page.path, []).append(output.url)
    return {path: tuple(found_urls) for path, found_urls in found.items()}


def _converted(prose, page, report: Report):
    converted, problems = prose.converted(page)   # (prose.Converted, problems)
    report.extend(problems)
    return converted


# -- on disk ---------------------------------------------------------------------------

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
    "stamps": Codec(lambda found: found[0].encode(), lambda value: (Stamps.decode(value), ())),
}


def recall_stamps(store: Store | None, of: str) -> Stamps:
    """The stamps `build.py` remembered of "sources" or "outputs" (stamps.py); none without a store."""
    found = store.get("stamps", of) if store is not None else None
    return Stamps(found[0].remembered) if found else Stamps()


def keep_stamps(store: Store, of: str, stamps: Stamps) -> bool:
    """Remember this run's stamps of "sources" or "outputs"; were they not the ones remembered?"""
    store.put("stamps", of, (Stamps(stamps.now), ()))
    return stamps.changed
